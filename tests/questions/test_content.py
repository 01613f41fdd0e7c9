"""Typed question content: its invariants, the stored JSON and its round trip, shown choices, and grade()
for every kind and policy (rules in studyapp/questions/content.py's docstring)."""

import contextlib
import json
from collections.abc import Mapping
from decimal import Decimal as D
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.content.parsing.types import checksum
from studyapp.questions.content import (
    Choice,
    Grade,
    InvalidContent,
    InvalidResponse,
    Kind,
    MatchPair,
    NumericalAnswer,
    Policy,
    QuestionContent,
    ShownChoice,
    grade,
    grade_choices,
)

AON, PARTIAL = Policy.ALL_OR_NOTHING, Policy.PARTIAL
BOTH = (AON, PARTIAL)


def choices(*written: tuple[str, str]) -> tuple[Choice, ...]:
    """Choices from (text, fraction) pairs."""
    return tuple(Choice(text=text, fraction=D(fraction)) for text, fraction in written)


def answers(*written: tuple[str, str, str]) -> tuple[NumericalAnswer, ...]:
    """Numerical answers from (value, tolerance, fraction) triples."""
    return tuple(NumericalAnswer(value=D(v), tolerance=D(t), fraction=D(f)) for v, t, f in written)


def choice_content(kind: str, fractions: list[D], *, stem: str = "Q") -> QuestionContent:
    """A choice question with the given fractions (true/false gets its True and False texts)."""
    texts = ["True", "False"] if kind == "truefalse" else [f"option {i}" for i in range(len(fractions))]
    made = tuple(Choice(text=t, fraction=f) for t, f in zip(texts, fractions, strict=True))
    return QuestionContent(kind=Kind(kind), stem=stem, choices=made)


def short(*written: tuple[str, str], case_sensitive: bool = False) -> QuestionContent:
    return QuestionContent(kind=Kind.SHORTANSWER, stem="Name it.", choices=choices(*written), case_sensitive=case_sensitive)


def numerical(*written: tuple[str, str, str]) -> QuestionContent:
    return QuestionContent(kind=Kind.NUMERICAL, stem="How many?", numerical=answers(*written))


def matching(*pairs: tuple[str, str]) -> QuestionContent:
    return QuestionContent(kind=Kind.MATCHING, stem="Match.", pairs=tuple(MatchPair(question=q, answer=a) for q, a in pairs))


def assert_grade(result: Grade, expected: D) -> None:
    assert result.fraction == expected
    assert result.correct is (expected == 1)
    assert result.partially is (0 < expected < 1)


# --- grade: choice kinds --------------------------------------------------------------------------------

SINGLE = [D(0), D(0), D(1), D(0)]  # Grant's tomb, with a fourth option
TWO_RIGHT = [D("0.5"), D("0"), D("0.5"), D("0"), D("0")]  # "(Select TWO.)", five options
GRANTS_WIFE = [D("-0.5"), D("0.5"), D("0.5"), D("-0.5")]  # Moodle's GIFT multiple-answer example
THIRDS = [D("0.3333333"), D("0.3333333"), D("0.3333333"), D("-1"), D("0")]  # GIFT %33.33333%


@pytest.mark.parametrize(
    ("kind", "fractions", "selected", "policy", "expected"),
    [
        # single answer: the chosen option's fraction, clamped; nothing chosen is wrong
        ("single", SINGLE, {2}, AON, "1"),
        ("single", SINGLE, {0}, AON, "0"),
        ("single", SINGLE, set(), AON, "0"),
        ("single", SINGLE, {2}, PARTIAL, "1"),
        ("single", [D("0.5"), D(1), D(0), D(0)], {0}, AON, "0.5"),
        ("single", [D("-0.5"), D(1), D(0), D(0)], {0}, PARTIAL, "0"),
        ("single", SINGLE, [2, 2], AON, "1"),  # a repeated index counts once
        # true/false
        ("truefalse", [D(0), D(1)], {1}, AON, "1"),
        ("truefalse", [D(0), D(1)], {0}, AON, "0"),
        ("truefalse", [D(0), D(1)], set(), PARTIAL, "0"),
        ("truefalse", [D(1), D(0)], [0], PARTIAL, "1"),
        # multiple response, exam mode: exactly the positive options, else nothing
        ("multiple", TWO_RIGHT, {0, 2}, AON, "1"),
        ("multiple", TWO_RIGHT, {0}, AON, "0"),
        ("multiple", TWO_RIGHT, {0, 2, 4}, AON, "0"),
        ("multiple", TWO_RIGHT, {1, 3}, AON, "0"),
        ("multiple", TWO_RIGHT, set(), AON, "0"),
        ("multiple", GRANTS_WIFE, {1, 2}, AON, "1"),
        ("multiple", GRANTS_WIFE, {0, 1, 2}, AON, "0"),
        # multiple response, Moodle's rule: sum of the selected fractions, clamped to [0, 1]
        ("multiple", GRANTS_WIFE, {1, 2}, PARTIAL, "1"),
        ("multiple", GRANTS_WIFE, {1}, PARTIAL, "0.5"),
        ("multiple", GRANTS_WIFE, {0, 1, 2}, PARTIAL, "0.5"),
        ("multiple", GRANTS_WIFE, {0, 1}, PARTIAL, "0"),
        ("multiple", GRANTS_WIFE, {0, 3}, PARTIAL, "0"),
        ("multiple", GRANTS_WIFE, {0, 1, 2, 3}, PARTIAL, "0"),
        ("multiple", GRANTS_WIFE, set(), PARTIAL, "0"),
        ("multiple", [D(1), D(1), D(0), D(0), D(0)], {0, 1}, PARTIAL, "1"),
        ("multiple", TWO_RIGHT, {0, 2}, "partial", "1"),  # the policy as stored, a string
        ("multiple", TWO_RIGHT, [2, 0], AON, "1"),  # a list (as an attempt stores it) in any order
        ("multiple", TWO_RIGHT, (0, 2, 2), AON, "1"),
        # 3 x 0.3333333 = 0.9999999 is right, as in Moodle
        ("multiple", THIRDS, {0, 1, 2}, PARTIAL, "1"),
        ("multiple", THIRDS, {0, 1}, PARTIAL, "0.6666666"),
        ("multiple", THIRDS, {0, 1, 2, 3}, PARTIAL, "0"),
        ("multiple", THIRDS, {0, 1, 2}, AON, "1"),
    ],
)
def test_grade_choice_kinds_follow_the_policy_table(kind, fractions, selected, policy, expected):
    content = choice_content(kind, fractions)
    assert_grade(grade(content, selected, policy=policy), D(expected))
    # the same rule on bare fractions
    assert grade_choices(kind=kind, fractions=fractions, selected=selected, policy=policy) == grade(content, selected, policy=policy)


@pytest.mark.parametrize(
    ("kind", "fractions", "response"),
    [
        ("single", SINGLE, {0, 2}),  # two options for a single-answer question
        ("truefalse", [D(0), D(1)], {0, 1}),
        ("single", SINGLE, {4}),  # out of range
        ("single", SINGLE, {-1}),  # no Python negative indexing
        ("multiple", TWO_RIGHT, {0, 5}),
        ("single", SINGLE, {True}),  # a bool is not an index
        ("single", SINGLE, {"2"}),
        ("single", SINGLE, "2"),  # a string is not a collection of indexes
        ("single", SINGLE, 2),
        ("single", SINGLE, None),
        ("multiple", TWO_RIGHT, {"0": "1"}),
        ("multiple", TWO_RIGHT, D(0)),
    ],
)
@pytest.mark.parametrize("policy", BOTH)
def test_grade_rejects_invalid_choice_responses(kind, fractions, response, policy):
    with pytest.raises(InvalidResponse):
        grade(choice_content(kind, fractions), response, policy=policy)


@pytest.mark.parametrize(
    ("content", "response"),
    [(choice_content("single", SINGLE), [0]), (short(("ECS", "1")), "ECS"), (numerical(("1", "0", "1")), "1"), (matching(("a", "b")), {})],
)
def test_grade_rejects_an_unknown_policy(content, response):
    with pytest.raises(ValueError, match="generous"):
        grade(content, response, policy="generous")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"kind": "essay", "fractions": SINGLE, "selected": {0}, "policy": AON}, ValueError),
        ({"kind": "single", "fractions": [D("1.5"), D(0)], "selected": {0}, "policy": AON}, ValueError),
        ({"kind": "multiple", "fractions": [D("-2"), D(1)], "selected": {1}, "policy": PARTIAL}, ValueError),
        ({"kind": "single", "fractions": [D("NaN"), D(1)], "selected": {1}, "policy": AON}, ValueError),
        ({"kind": "single", "fractions": [0.0, 1.0], "selected": {1}, "policy": AON}, TypeError),
    ],
)
def test_grade_choices_rejects_what_is_not_a_choice_question(kwargs, error):
    with pytest.raises(error):
        grade_choices(**kwargs)


@pytest.mark.parametrize(
    ("kind", "fractions", "selected", "policy"),
    [
        ("single", SINGLE, {0, 2}, AON),  # two options for a single-answer question
        ("truefalse", [D(0), D(1)], {0, 1}, PARTIAL),
        ("single", SINGLE, {4}, AON),  # out of range
        ("single", SINGLE, {-1}, AON),  # no Python negative indexing
        ("multiple", TWO_RIGHT, {0, 5}, PARTIAL),
        ("multiple", [D("1.5"), D(0)], {0}, PARTIAL),  # fraction above 1
        ("multiple", [D("-2"), D(1)], {1}, PARTIAL),  # fraction below -1
        ("essay", SINGLE, {0}, AON),  # unknown kind
        ("single", SINGLE, {0}, "generous"),  # unknown policy
    ],
)
def test_grade_choices_rejects_invalid_answers(kind, fractions, selected, policy):
    with pytest.raises(ValueError):
        grade_choices(kind=kind, fractions=fractions, selected=selected, policy=policy)


# --- grade: short answer -------------------------------------------------------------------------------

CONTAINERS = short(
    ("Amazon ECS", "1"),
    ("ECS", "1"),
    ("Docker", "0.5"),
    ("*Kubernetes*", "-0.5"),
    ("EC\\*2", "0.25"),
    ("Elastic * Service", "0.75"),
)


@pytest.mark.parametrize(
    ("content", "response", "expected"),
    [
        (CONTAINERS, "Amazon ECS", "1"),
        (CONTAINERS, "ecs", "1"),  # case is ignored by default
        (CONTAINERS, "  Amazon \t  ECS \n", "1"),  # surrounding and repeated whitespace is one space
        (CONTAINERS, "docker", "0.5"),
        (CONTAINERS, "I would run Kubernetes myself", "0"),  # a negative answer is clamped to 0
        (CONTAINERS, "EC*2", "0.25"),  # \* is a literal asterisk
        (CONTAINERS, "EC22", "0"),
        (CONTAINERS, "Elastic Container Service", "0.75"),  # * is any run of characters
        (CONTAINERS, "Elastic  Service", "0"),  # "Elastic * Service" needs the two spaces around something
        (CONTAINERS, "Amazon ECS please", "0"),  # the whole response must match
        (CONTAINERS, "Fargate", "0"),
        (CONTAINERS, "", "0"),  # blank: unanswered, wrong
        (CONTAINERS, "   ", "0"),
        (short(("ECS", "1"), case_sensitive=True), "ecs", "0"),
        (short(("ECS", "1"), case_sensitive=True), "ECS", "1"),
        (short(("*ECS*", "0.5"), ("Amazon ECS", "1")), "Amazon ECS", "0.5"),  # Moodle: the first match, in written order
        (short(("a.b", "1")), "axb", "0"),  # everything but * is literal
        (short(("Lam**", "1")), "Lambda", "1"),  # a run of stars is one wildcard
        (short(("*", "0.1")), "anything", "0.1"),
        (short(("caf\u00e9", "1")), "cafe\u0301", "1"),  # NFC: composed and decomposed é are the same
        (short(("Straße", "1")), "STRASSE", "0"),  # simple case folding only, as PHP's /iu
        (short(("ÉCS", "1")), "écs", "1"),
    ],
)
@pytest.mark.parametrize("policy", BOTH)
def test_grade_short_answer(content, response, expected, policy):
    assert_grade(grade(content, response, policy=policy), D(expected))


@pytest.mark.parametrize("response", [None, 1, ["ECS"], {0}, {"ECS": "1"}, D(1), b"ECS"])
def test_grade_short_answer_takes_text_only(response):
    with pytest.raises(InvalidResponse):
        grade(CONTAINERS, response, policy=AON)


# --- grade: numerical ----------------------------------------------------------------------------------

GRANT_BORN = numerical(("1822", "0", "1"), ("1822", "2", "0.5"), ("0", "0", "-1"))
ONE_TO_FIVE = numerical(("3", "2", "1"))  # GIFT's {#1..5}


@pytest.mark.parametrize(
    ("content", "response", "expected"),
    [
        (GRANT_BORN, "1822", "1"),
        (GRANT_BORN, " 1822 ", "1"),
        (GRANT_BORN, "1822.000", "1"),
        (GRANT_BORN, "1.822e3", "1"),
        (GRANT_BORN, "+1822", "1"),
        (GRANT_BORN, "1823", "0.5"),
        (GRANT_BORN, "1820", "0.5"),  # the bounds are included
        (GRANT_BORN, "1824", "0.5"),
        (GRANT_BORN, "1824.0000000000000000000000000000001", "0"),  # exactly, not to 28 digits
        (GRANT_BORN, "1819.9999", "0"),
        (GRANT_BORN, "0", "0"),  # a negative answer is clamped to 0
        (GRANT_BORN, "-5", "0"),
        (GRANT_BORN, "", "0"),  # blank: unanswered, wrong
        (GRANT_BORN, "  ", "0"),
        (GRANT_BORN, D("1821"), "0.5"),
        (GRANT_BORN, 1822, "1"),
        (GRANT_BORN, "1e999999", "0"),
        (ONE_TO_FIVE, "1", "1"),
        (ONE_TO_FIVE, "5", "1"),
        (ONE_TO_FIVE, ".5", "0"),
        (ONE_TO_FIVE, "5.5", "0"),
        (numerical(("1822", "2", "0.5"), ("1822", "0", "1")), "1822", "0.5"),  # Moodle: the first match, in written order
        (numerical(("-1.5", "1", "1")), "-0.5", "1"),
        (numerical(("1E+3", "0.5", "1")), "1000.5", "1"),
    ],
)
@pytest.mark.parametrize("policy", BOTH)
def test_grade_numerical(content, response, expected, policy):
    assert_grade(grade(content, response, policy=policy), D(expected))


NOT_NUMBERS = ["abc", "1,822", "1822 years", "18 22", "0x10", "1e", "NaN", "Infinity", "1_822", 1822.0, True, None, D("NaN"), D("Inf")]


@pytest.mark.parametrize("response", [*NOT_NUMBERS, ["1822"], {"a": "1"}])
def test_grade_numerical_rejects_what_is_not_a_number(response):
    with pytest.raises(InvalidResponse):
        grade(GRANT_BORN, response, policy=AON)


# --- grade: matching -----------------------------------------------------------------------------------

SERVICES = matching(("Lambda", "functions"), ("Fargate", "containers"), ("EC2", "virtual machines"), ("", "databases"))
ALL_RIGHT = {"Lambda": "functions", "Fargate": "containers", "EC2": "virtual machines"}


@pytest.mark.parametrize(
    ("content", "response", "policy", "expected"),
    [
        (SERVICES, ALL_RIGHT, PARTIAL, D(1)),
        (SERVICES, ALL_RIGHT, AON, D(1)),
        (SERVICES, ALL_RIGHT | {"EC2": "databases"}, PARTIAL, D(2) / D(3)),  # Moodle: the share right
        (SERVICES, ALL_RIGHT | {"EC2": "databases"}, AON, D(0)),
        (SERVICES, {"Lambda": "functions"}, PARTIAL, D(1) / D(3)),  # sub-questions left out are wrong
        (SERVICES, {"Lambda": "functions"}, AON, D(0)),
        (SERVICES, ALL_RIGHT | {"Fargate": ""}, PARTIAL, D(2) / D(3)),  # "" is not answered
        (SERVICES, {"Lambda": "containers", "Fargate": "functions", "EC2": "databases"}, PARTIAL, D(0)),
        (SERVICES, {}, PARTIAL, D(0)),
        (SERVICES, {}, AON, D(0)),
        (matching(("a", "x"), ("b", "x")), {"a": "x", "b": "x"}, AON, D(1)),  # two sub-questions may share an answer
        (matching(("a", "x"), ("a", "y"), ("b", "z")), {"a": "y", "b": "z"}, AON, D(1)),  # a repeated sub-question takes either answer
    ],
)
def test_grade_matching(content, response, policy, expected):
    assert_grade(grade(content, response, policy=policy), expected)


@pytest.mark.parametrize(
    ("content", "response"),
    [
        (SERVICES, {"S3": "databases"}),  # not a sub-question
        (SERVICES, {"": "databases"}),  # the extra answer is not a sub-question
        (SERVICES, {"Lambda": "servers"}),  # not one of the answers
        (SERVICES, {"Lambda": 1}),
        (SERVICES, ["functions", "containers", "virtual machines"]),
        (SERVICES, "Lambda -> functions"),
        (matching(("", "x"), ("", "y")), {}),  # nothing to grade
    ],
)
@pytest.mark.parametrize("policy", BOTH)
def test_grade_matching_rejects_invalid_responses(content, response, policy):
    with pytest.raises(InvalidResponse):
        grade(content, response, policy=policy)


@pytest.mark.parametrize("kind", [Kind.ESSAY, Kind.DESCRIPTION])
@pytest.mark.parametrize("response", ["An answer.", [], {}])
def test_essays_and_descriptions_are_not_graded_automatically(kind, response):
    with pytest.raises(InvalidResponse, match="not graded automatically"):
        grade(QuestionContent(kind=kind, stem="Compare ECS and EKS."), response, policy=PARTIAL)


# --- shown ---------------------------------------------------------------------------------------------

LAMBDA = QuestionContent(
    kind=Kind.MULTIPLE,
    stem="Which TWO?",
    choices=(
        Choice(text="Lambda", fraction=D("0.5"), html="<em>Lambda</em>", feedback="Yes.", feedback_html="Yes."),
        Choice(text="EC2", fraction=D(-1), html="EC2"),
        Choice(text="Fargate", fraction=D("0.5"), html="Fargate", feedback="Yes, too.", feedback_html="Yes, too."),
    ),
)


def test_shown_follows_the_order_and_marks_right_and_chosen():
    shown = LAMBDA.shown([2, 0, 1], selected={0, 1})
    assert shown == (
        ShownChoice(index=0, stored=2, letter="A", text="Fargate", html="Fargate", feedback_html="Yes, too.", right=True, chosen=False),
        ShownChoice(index=1, stored=0, letter="B", text="Lambda", html="<em>Lambda</em>", feedback_html="Yes.", right=True, chosen=True),
        ShownChoice(index=2, stored=1, letter="C", text="EC2", html="EC2", feedback_html="", right=False, chosen=True),
    )


def test_shown_in_written_order_with_nothing_selected():
    shown = LAMBDA.shown(range(3))
    assert [(c.index, c.stored, c.letter, c.chosen) for c in shown] == [(0, 0, "A", False), (1, 1, "B", False), (2, 2, "C", False)]


def test_shown_letters_go_on_past_z():
    many = QuestionContent(kind=Kind.MULTIPLE, stem="M", choices=tuple(Choice(text=str(i), fraction=D(1) / 28) for i in range(28)))
    assert [c.letter for c in many.shown(range(28))][::9] == ["A", "J", "S", "AB"]
    assert [c.letter for c in many.shown(range(28))][25:] == ["Z", "AA", "AB"]


def test_shown_without_choices_is_empty():
    assert numerical(("1", "0", "1")).shown([]) == ()


@pytest.mark.parametrize(
    ("order", "selected"),
    [([0, 1], ()), ([0, 1, 1], ()), ([0, 1, 3], ()), ([1, 2, 3], ()), ([0, 1, 2, 3], ()), ([True, 0, 2], ()), ([0, 1, 2], {3})],
)
def test_shown_rejects_orders_that_are_not_permutations(order, selected):
    with pytest.raises(ValueError):
        LAMBDA.shown(order, selected=selected)


def test_content_properties():
    assert LAMBDA.multiple and LAMBDA.right_count == 2
    assert not choice_content("single", SINGLE).multiple
    assert choice_content("single", SINGLE).right_count == 1
    assert [c.right for c in LAMBDA.choices] == [True, False, True]


# --- invariants ----------------------------------------------------------------------------------------

C1, C0 = Choice(text="a", fraction=D(1)), Choice(text="b", fraction=D(0))
ONE_ANSWER = answers(("1", "0", "1"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "poll"}, "unknown question kind"),
        ({"kind": Kind.SINGLE, "choices": (C1,)}, "at least two choices"),
        ({"kind": Kind.MULTIPLE}, "at least two choices"),
        ({"kind": Kind.SINGLE, "choices": choices(("a", "1"), ("b", "1.5"))}, "choice 2: the fraction must be a number from -1 to 1"),
        ({"kind": Kind.SINGLE, "choices": choices(("a", "1"), ("b", "-1.01"))}, "from -1 to 1"),
        ({"kind": Kind.SINGLE, "choices": choices(("a", "1"), ("b", "NaN"))}, "from -1 to 1"),
        ({"kind": Kind.SINGLE, "choices": choices(("a", "1"), ("", "0"))}, "choice 2 has no text"),
        ({"kind": Kind.TRUEFALSE, "choices": choices(("Yes", "1"), ("No", "0"))}, "True and False"),
        ({"kind": Kind.TRUEFALSE, "choices": choices(("False", "1"), ("True", "0"))}, "True and False"),
        ({"kind": Kind.TRUEFALSE, "choices": choices(("True", "1"), ("False", "1"))}, "one worth 1"),
        ({"kind": Kind.TRUEFALSE, "choices": choices(("True", "0.5"), ("False", "0.5"))}, "one worth 1"),
        ({"kind": Kind.TRUEFALSE, "choices": choices(("True", "1"), ("False", "0"), ("Maybe", "0"))}, "True and False"),
        ({"kind": Kind.TRUEFALSE}, "True and False"),
        ({"kind": Kind.SHORTANSWER}, "at least one accepted answer"),
        ({"kind": Kind.SINGLE, "choices": (C1, C0), "case_sensitive": True}, "only a short-answer question"),
        ({"kind": Kind.NUMERICAL}, "at least one answer"),
        ({"kind": Kind.NUMERICAL, "numerical": answers(("1", "-1", "1"))}, "cannot be negative"),
        ({"kind": Kind.NUMERICAL, "numerical": answers(("Infinity", "0", "1"))}, "finite"),
        ({"kind": Kind.NUMERICAL, "numerical": answers(("1", "NaN", "1"))}, "finite"),
        ({"kind": Kind.NUMERICAL, "numerical": answers(("1e10000", "0", "1"))}, "out of range"),
        ({"kind": Kind.NUMERICAL, "numerical": answers(("1e-10000", "0", "1"))}, "out of range"),
        ({"kind": Kind.NUMERICAL, "numerical": answers(("1", "0", "2"))}, "from -1 to 1"),
        ({"kind": Kind.NUMERICAL, "choices": (C1,), "numerical": ONE_ANSWER}, "have no choices"),
        ({"kind": Kind.MATCHING}, "at least one pair"),
        ({"kind": Kind.MATCHING, "pairs": (MatchPair(question="a", answer=""),)}, "pair 1 has no answer"),
        ({"kind": Kind.SINGLE, "choices": (C1, C0), "pairs": (MatchPair(question="a", answer="b"),)}, "have no matching pairs"),
        ({"kind": Kind.ESSAY, "numerical": ONE_ANSWER}, "have no numerical answers"),
        ({"kind": Kind.DESCRIPTION, "choices": (C1, C0)}, "have no choices"),
    ],
)
def test_content_refuses_what_breaks_its_invariants(kwargs, message):
    with pytest.raises(InvalidContent, match=message):
        QuestionContent(stem="Q", **kwargs)


@pytest.mark.parametrize("fraction", [0.5, 1, "1", None])
def test_content_refuses_fractions_that_are_not_decimals(fraction):
    with pytest.raises(TypeError):
        QuestionContent(kind=Kind.SINGLE, stem="Q", choices=(C1, Choice(text="b", fraction=fraction)))


def test_content_takes_the_kind_as_a_string_and_lists_as_tuples():
    content = QuestionContent(kind="single", stem="Q", choices=[C1, C0])  # type: ignore[arg-type]  # what the test is about
    assert content.kind is Kind.SINGLE
    assert content.choices == (C1, C0)
    assert content == QuestionContent(kind=Kind.SINGLE, stem="Q", choices=(C1, C0))
    assert hash(content) == hash(QuestionContent(kind=Kind.SINGLE, stem="Q", choices=(C1, C0)))


# --- the stored JSON -----------------------------------------------------------------------------------


def test_choice_kinds_store_exactly_the_dict_the_course_has_always_stored():
    content = QuestionContent(
        kind=Kind.MULTIPLE,
        name="Serverless",
        stem="Which TWO? (Select TWO.)",
        stem_html="<p>Which TWO? (Select TWO.)</p>",
        choices=(
            Choice(text="AWS Lambda", html="AWS Lambda", fraction=D("0.50"), feedback="Yes", feedback_html="Yes"),
            Choice(text="Amazon EC2", html="Amazon EC2", fraction=D("-1.00")),
            Choice(text="AWS Fargate", html="AWS Fargate", fraction=D("0.5")),
            Choice(text="Amazon Lightsail", html="Amazon Lightsail", fraction=D("0")),
            Choice(text="AWS Batch", html="AWS Batch", fraction=D("0.000")),
        ),
        explanation="Serverless.",
        explanation_html="<p>Serverless.</p>",
    )
    option = ["text", "html", "fraction", "feedback", "feedback_html"]
    expected = {
        "kind": "multiple",
        "name": "Serverless",
        "stem": "Which TWO? (Select TWO.)",
        "stem_html": "<p>Which TWO? (Select TWO.)</p>",
        "options": [
            dict(zip(option, ["AWS Lambda", "AWS Lambda", "0.5", "Yes", "Yes"], strict=True)),
            dict(zip(option, ["Amazon EC2", "Amazon EC2", "-1", "", ""], strict=True)),
            dict(zip(option, ["AWS Fargate", "AWS Fargate", "0.5", "", ""], strict=True)),
            dict(zip(option, ["Amazon Lightsail", "Amazon Lightsail", "0", "", ""], strict=True)),
            dict(zip(option, ["AWS Batch", "AWS Batch", "0", "", ""], strict=True)),
        ],
        "explanation": "Serverless.",
        "explanation_html": "<p>Serverless.</p>",
    }
    data = content.to_json()
    assert json.dumps(data) == json.dumps(expected)  # same keys, same order, same strings
    assert content.checksum == checksum(expected)  # what content.parsing's checksum says of it


THOUSAND = [{"value": "1E+3", "tolerance": "0.5", "fraction": "1", "feedback": ""}]


@pytest.mark.parametrize(
    ("content", "keys", "extra"),
    [
        (choice_content("truefalse", [D(0), D(1)]), ["options"], {}),
        (choice_content("single", SINGLE), ["options"], {}),
        (short(("ECS", "1")), ["options", "case_sensitive"], {"case_sensitive": False}),
        (short(("ECS", "1"), case_sensitive=True), ["options", "case_sensitive"], {"case_sensitive": True}),
        (numerical(("1E+3", "0.50", "1")), ["numerical"], {"numerical": THOUSAND}),
        (matching(("a", "b"), ("", "c")), ["pairs"], {"pairs": [{"question": "a", "answer": "b"}, {"question": "", "answer": "c"}]}),
        (QuestionContent(kind=Kind.ESSAY, stem="E"), [], {}),
        (QuestionContent(kind=Kind.DESCRIPTION, stem="D"), [], {}),
    ],
)
def test_each_kind_stores_only_the_keys_it_needs(content, keys, extra):
    data = content.to_json()
    assert list(data) == ["kind", "name", "stem", "stem_html", *keys, "explanation", "explanation_html"]
    assert data["kind"] == str(content.kind) and type(data["kind"]) is str
    assert {key: data[key] for key in extra} == extra
    assert QuestionContent.from_json(data) == content


TEXT = st.text(max_size=20)
WORD = st.text(min_size=1, max_size=20)
FRACTION = st.one_of(
    st.integers(min_value=0, max_value=7).flatmap(lambda places: st.decimals(min_value=-1, max_value=1, places=places)),
    st.decimals(min_value=-1, max_value=1, allow_nan=False, allow_infinity=False),  # any number of digits
    st.sampled_from([D("-0"), D("0.000"), D("1.00"), D("1E-7"), D("-0.3333333333333333333333333333333333")]),
)
NUMBER = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**15), max_value=10**15),
    st.builds(lambda n, e: D(n).scaleb(e), st.integers(min_value=-(10**6), max_value=10**6), st.integers(min_value=-30, max_value=30)),
)
CHOICE = st.builds(Choice, text=WORD, fraction=FRACTION, feedback=TEXT, html=TEXT, feedback_html=TEXT)


@st.composite
def contents(draw: st.DrawFn, kind: Kind | None = None) -> QuestionContent:
    """Any valid content of any kind."""
    kind = kind or draw(st.sampled_from(Kind))
    common: dict[str, Any] = {
        "stem": draw(TEXT),
        "stem_html": draw(TEXT),
        "name": draw(TEXT),
        "explanation": draw(TEXT),
        "explanation_html": draw(TEXT),
    }
    if kind in (Kind.SINGLE, Kind.MULTIPLE):
        return QuestionContent(kind=kind, choices=tuple(draw(st.lists(CHOICE, min_size=2, max_size=6))), **common)
    if kind is Kind.TRUEFALSE:
        true_is_right = draw(st.booleans())
        pair = tuple(
            Choice(text=text, fraction=D(int(right)), feedback=draw(TEXT), html=draw(TEXT), feedback_html=draw(TEXT))
            for text, right in (("True", true_is_right), ("False", not true_is_right))
        )
        return QuestionContent(kind=kind, choices=pair, **common)
    if kind is Kind.SHORTANSWER:
        accepted = tuple(draw(st.lists(CHOICE, min_size=1, max_size=4)))
        return QuestionContent(kind=kind, choices=accepted, case_sensitive=draw(st.booleans()), **common)
    if kind is Kind.NUMERICAL:
        answers = st.builds(NumericalAnswer, value=NUMBER, tolerance=NUMBER.map(abs), fraction=FRACTION, feedback=TEXT)
        return QuestionContent(kind=kind, numerical=tuple(draw(st.lists(answers, min_size=1, max_size=4))), **common)
    if kind is Kind.MATCHING:
        pairs = st.builds(MatchPair, question=TEXT, answer=WORD)
        return QuestionContent(kind=kind, pairs=tuple(draw(st.lists(pairs, min_size=1, max_size=5))), **common)
    return QuestionContent(kind=kind, **common)


@settings(max_examples=500, deadline=None)
@given(content=contents())
def test_round_trip_through_the_stored_json_for_every_kind(content):
    data = content.to_json()
    assert QuestionContent.from_json(data) == content
    stored = json.loads(json.dumps(data))  # what a JSONField gives back
    assert QuestionContent.from_json(stored) == content
    assert QuestionContent.from_json(stored).to_json() == data
    assert QuestionContent.from_json(stored).checksum == content.checksum == checksum(data)


@pytest.mark.parametrize("kind", list(Kind))
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_round_trip_covers_each_kind(kind, data):
    content = data.draw(contents(kind))
    assert content.kind is kind
    assert QuestionContent.from_json(json.loads(json.dumps(content.to_json()))) == content


GOOD: dict[str, Any] = json.loads(json.dumps(choice_content("single", SINGLE).to_json()))  # as a JSONField holds it


def changed(**changes: object) -> dict[str, object]:
    return {**GOOD, **changes}


def option_changed(**changes: object) -> dict[str, object]:
    options = [dict(o) for o in GOOD["options"]]
    options[1].update(changes)
    return changed(options=options)


def numerical_changed(**changes: object) -> dict[str, object]:
    return {
        **numerical(("1", "0", "1")).to_json(),
        "numerical": [{"value": "1", "tolerance": "0", "fraction": "1", "feedback": ""} | changes],
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (None, "must be a JSON object, got null"),
        ([GOOD], "must be a JSON object, got a list"),
        ("single", "must be a JSON object"),
        ({}, "'kind' must be one of"),
        (changed(kind="poll"), "'kind' must be one of"),
        (changed(kind=1), "'kind' must be one of"),
        ({k: v for k, v in GOOD.items() if k != "stem_html"}, "lacks 'stem_html'"),
        (changed(extra=1), "unexpected 'extra'"),
        (changed(case_sensitive=False), "unexpected 'case_sensitive'"),  # only a short answer has it
        (changed(numerical=[]), "unexpected 'numerical'"),
        (changed(stem=None), "'stem' must be a string, got null"),
        (changed(name=3), "'name' must be a string, got a number"),
        (changed(options={"0": GOOD["options"]}), "'options' must be a list, got an object"),
        (changed(options=["a", "b"]), "options item 1 must be a JSON object, got a string"),
        (changed(options=[]), "at least two choices"),
        (option_changed(fraction=0.5), "option 2: 'fraction' must be a number written as a string, got a number"),
        (option_changed(fraction=1), "written as a string"),
        (option_changed(fraction="half"), "option 2: 'fraction' is not a number: 'half'"),
        (option_changed(fraction="NaN"), "must be a finite number"),
        (option_changed(fraction="-Infinity"), "must be a finite number"),
        (option_changed(fraction="2"), "choice 2: the fraction must be a number from -1 to 1"),
        (option_changed(fraction="1e99999999999999999999999"), "is not a number"),
        (option_changed(text=""), "choice 2 has no text"),
        (option_changed(html=None), "option 2: 'html' must be a string"),
        (option_changed(weight="1"), "unexpected 'weight'"),
        ({**short(("ECS", "1")).to_json(), "case_sensitive": "yes"}, "'case_sensitive' must be true or false, got a string"),
        ({**choice_content("truefalse", [D(0), D(1)]).to_json(), "options": GOOD["options"]}, "True and False"),
        (numerical_changed(tolerance="-1"), "cannot be negative"),
        (numerical_changed(value="1e999999999"), "out of range"),
        (numerical_changed(value=1), "numerical answer 1: 'value' must be a number written as a string"),
        ({**numerical(("1", "0", "1")).to_json(), "numerical": [{"value": "1", "tolerance": "0", "fraction": "1"}]}, "lacks 'feedback'"),
        ({**matching(("a", "b")).to_json(), "pairs": [{"question": "a", "answer": ""}]}, "pair 1 has no answer"),
        ({**matching(("a", "b")).to_json(), "pairs": [{"question": "a"}]}, "lacks 'answer'"),
    ],
)
def test_from_json_says_what_is_wrong(data, message):
    with pytest.raises(InvalidContent, match=message.replace("(", r"\(").replace(")", r"\)")) as raised:
        QuestionContent.from_json(data)
    assert isinstance(raised.value, ValueError)


LIKELY = [*(kind.value for kind in Kind), "1", "-0.5", "1e999999999", "sNaN", "-0", "1_0", " 1 "]  # strings the reader looks at
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10) | st.sampled_from(LIKELY)
JSON = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=500, deadline=None)
@given(data=JSON)
def test_from_json_raises_only_value_errors_on_arbitrary_json(data):
    with contextlib.suppress(ValueError):
        QuestionContent.from_json(data)


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every place in a JSON value: keys of objects and indexes of lists."""
    found = [path]
    if isinstance(value, Mapping):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _replaced(value: object, path: tuple[object, ...], new: object) -> object:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replaced(value[head], rest, new)}
    assert isinstance(value, list) and isinstance(head, int)
    return [*value[:head], _replaced(value[head], rest, new), *value[head + 1 :]]


@settings(max_examples=300, deadline=None)
@given(content=contents(), data=st.data())
def test_from_json_raises_only_value_errors_on_damaged_content(content, data):
    """Valid stored JSON with one value replaced by any JSON: content again, or a ValueError."""
    stored = content.to_json()
    path = data.draw(st.sampled_from(_paths(stored)))
    damaged = _replaced(stored, path, data.draw(JSON))
    with contextlib.suppress(ValueError):
        QuestionContent.from_json(damaged)


@settings(max_examples=300, deadline=None)
@given(value=NUMBER, tolerance=NUMBER.map(abs), number=NUMBER)
def test_numerical_interval_is_exact(value, tolerance, number):
    low, high = NumericalAnswer(value=value, tolerance=tolerance, fraction=D(1)).interval()
    assert (Fraction(low), Fraction(high)) == (Fraction(value) - Fraction(tolerance), Fraction(value) + Fraction(tolerance))
    content = QuestionContent(kind=Kind.NUMERICAL, stem="N", numerical=(NumericalAnswer(value=value, tolerance=tolerance, fraction=D(1)),))
    within = abs(Fraction(number) - Fraction(value)) <= Fraction(tolerance)
    assert grade(content, number, policy=AON).correct is within
    assert grade(content, str(number), policy=AON).correct is within


@pytest.mark.parametrize("seed", ["fargate-what", "lambda-limits", 7, 12345])
def test_stable_order_is_a_permutation_that_repeats_for_the_same_seed(seed):
    content = QuestionContent(
        kind=Kind.MULTIPLE,
        stem="Pick two",
        choices=choices(("a", "0.5"), ("b", "0.5"), ("c", "-1"), ("d", "-1"), ("e", "-1")),
    )
    order = content.stable_order(seed)
    assert sorted(order) == [0, 1, 2, 3, 4]
    assert content.stable_order(seed) == order
    assert content.stable_order(str(seed)) == order  # an id and its text give the same order


def test_stable_order_differs_between_questions_and_keeps_true_false_in_place():
    content = QuestionContent(kind=Kind.SINGLE, stem="?", choices=choices(("a", "1"), ("b", "0"), ("c", "0"), ("d", "0")))
    orders = [content.stable_order(f"q-{n}") for n in range(40)]
    assert len(set(orders)) > 10
    assert sum(order[0] == 0 for order in orders) < 20
    true_false = QuestionContent(kind=Kind.TRUEFALSE, stem="?", choices=choices(("True", "0"), ("False", "1")))
    assert all(true_false.stable_order(f"q-{n}") == (0, 1) for n in range(10))
