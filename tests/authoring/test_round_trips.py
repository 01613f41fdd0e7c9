"""Export then import gives back the same questions: GIFT and Moodle XML for every supported kind,
Aiken for what it can hold (and a reason for what it cannot). Generated with hypothesis."""

import dataclasses
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studyapp.authoring.formats import aiken, moodle_xml
from studyapp.questions.content import Choice, Kind, MatchPair, NumericalAnswer, QuestionContent
from studyapp.questions.formats import gift
from studyapp.questions.formats.gift import Question

D = Decimal
_TRIM = " \t\n\r\0\x0b"

# Pieces that stress every format: GIFT's specials and escapes, XML's markup, Aiken's markers, blanks.
_PIECES = [
    *"ab Z09~=#{}:\\%[]/_\t.é❤<>&\"'",
    "\n",
    "[html]",
    "[markdown]",
    "//",
    "->",
    "####",
    "_____",
    "\\n",
    "]]>",
    "<b>",
    "&amp;",
    "A) ",
    "B.",
    "ANSWER: A",
    "$CATEGORY:",
    "::",
]


def _texts(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), min_size=1, max_size=10).map(lambda parts: "".join(parts).strip(_TRIM)).filter(bool)


TEXT = _texts(_PIECES)
NO_ARROW = TEXT.filter(lambda text: "->" not in text)  # GIFT cannot put '->' in a short answer or sub-question
OPTIONAL = st.one_of(st.just(""), TEXT)
WEIGHTS = [D(0), D("0.5"), D("-0.25"), D(-1), D("0.33333")]


@st.composite
def single_choices(draw: st.DrawFn) -> tuple[Choice, ...]:
    texts = draw(st.lists(TEXT, min_size=2, max_size=6))
    right = draw(st.integers(0, len(texts) - 1))
    fractions = [D(1) if index == right else draw(st.sampled_from(WEIGHTS)) for index in range(len(texts))]
    return tuple(Choice(text=text, fraction=fraction, feedback=draw(OPTIONAL)) for text, fraction in zip(texts, fractions, strict=True))


@st.composite
def multiple_choices(draw: st.DrawFn) -> tuple[Choice, ...]:
    right = draw(st.integers(1, 3))
    share = {1: D(1), 2: D("0.5"), 3: D("0.33333")}[right]
    wrong = draw(st.integers(0 if right > 1 else 1, 3))
    fractions = [share] * right + [draw(st.sampled_from([D(0), D("-0.5"), D(-1)])) for _ in range(wrong)]
    fractions = draw(st.permutations(fractions))
    return tuple(Choice(text=draw(TEXT), fraction=fraction, feedback=draw(OPTIONAL)) for fraction in fractions)


@st.composite
def true_false(draw: st.DrawFn) -> tuple[Choice, ...]:
    right_is_true = draw(st.booleans())
    return (
        Choice(text="True", fraction=D(1) if right_is_true else D(0), feedback=draw(OPTIONAL)),
        Choice(text="False", fraction=D(0) if right_is_true else D(1), feedback=draw(OPTIONAL)),
    )


@st.composite
def short_answers(draw: st.DrawFn) -> tuple[Choice, ...]:
    answers = draw(st.lists(st.tuples(NO_ARROW, st.sampled_from([D(1), D("0.5"), D(0), D("-0.1")])), min_size=1, max_size=4))
    feedback = st.one_of(st.just(""), NO_ARROW)
    return tuple(Choice(text=text, fraction=fraction, feedback=draw(feedback)) for text, fraction in answers)


NUMBERS = st.lists(
    st.builds(
        NumericalAnswer,
        value=st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6),
        tolerance=st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=1000),
        fraction=st.sampled_from([D(1), D("0.5"), D(0), D("-0.333")]),
        feedback=OPTIONAL,
    ),
    min_size=1,
    max_size=4,
)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[MatchPair, ...]:
    real = [MatchPair(question=draw(NO_ARROW), answer=draw(TEXT)) for _ in range(draw(st.integers(2, 4)))]
    extra = [MatchPair(question="", answer=draw(TEXT)) for _ in range(draw(st.integers(0, 2)))]
    return tuple(draw(st.permutations(real + extra)))


@st.composite
def contents(draw: st.DrawFn, *, case_sensitive: bool = False) -> QuestionContent:
    kind = draw(st.sampled_from([Kind.SINGLE, Kind.MULTIPLE, Kind.TRUEFALSE, Kind.SHORTANSWER, Kind.NUMERICAL, Kind.MATCHING]))
    parts: dict[str, object] = {}
    if kind is Kind.SINGLE:
        parts["choices"] = draw(single_choices())
    elif kind is Kind.MULTIPLE:
        parts["choices"] = draw(multiple_choices())
    elif kind is Kind.TRUEFALSE:
        parts["choices"] = draw(true_false())
    elif kind is Kind.SHORTANSWER:
        parts["choices"] = draw(short_answers())
        parts["case_sensitive"] = case_sensitive and draw(st.booleans())
    elif kind is Kind.NUMERICAL:
        parts["numerical"] = tuple(draw(NUMBERS))
    else:
        parts["pairs"] = draw(pairs())
    return QuestionContent(kind=kind, name=draw(OPTIONAL), stem=draw(TEXT), explanation=draw(OPTIONAL), **parts)  # type: ignore[arg-type]


META = (
    st.lists(st.sampled_from([*"ab-_09.é:", "tag", "x y", "]"]), min_size=1, max_size=6)
    .map(lambda parts: "".join(parts).strip(_TRIM))
    .filter(bool)
)
CATEGORIES = st.sampled_from(["", "$course$/top", "$course$/top/Mine", "$course$/top/Mine/Lambda & Fargate", "$system$/top/<x>"])


@st.composite
def questions(draw: st.DrawFn, *, case_sensitive: bool = False) -> Question:
    return Question(
        line=0,
        id=draw(st.one_of(st.none(), META)),
        tags=tuple(draw(st.lists(META, max_size=3))),
        category=draw(CATEGORIES),
        text_format=draw(st.sampled_from(gift.TEXT_FORMATS)),
        content=draw(contents(case_sensitive=case_sensitive)),
    )


def unlined(found: tuple[Question, ...]) -> list[Question]:
    return [dataclasses.replace(question, line=0) for question in found]


@settings(max_examples=200, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=4))
def test_gift_round_trip_every_kind(originals):
    result = gift.parse(gift.dump(originals))
    assert result.errors == ()
    assert unlined(result.questions) == originals


def _named_as_written(question: Question) -> Question:
    """Moodle needs a name: a question without one comes back with its first words as its name."""
    return dataclasses.replace(question, content=dataclasses.replace(question.content, name=""))


@settings(max_examples=200, deadline=None)
@given(st.lists(questions(case_sensitive=True), min_size=1, max_size=4))
def test_moodle_xml_round_trip_every_kind(originals):
    assert all(moodle_xml.unsupported(question) is None for question in originals)
    written = moodle_xml.dump(originals)
    result = moodle_xml.parse(written)
    assert result.errors == ()
    back = unlined(result.questions)
    assert len(back) == len(originals)
    for original, found in zip(originals, back, strict=True):
        assert found.content.name
        if not original.content.name:
            found = _named_as_written(found)
        assert found == original
    # The same file read as bytes, the way an upload arrives.
    assert moodle_xml.parse(written.encode()).questions == result.questions


@settings(max_examples=200, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=3))
def test_gift_to_moodle_xml_and_back_to_gift(originals):
    """A bank exported as XML and re-exported as GIFT is the same GIFT."""
    through_xml = [
        _named_as_written(found) if not original.content.name else found
        for original, found in zip(originals, moodle_xml.parse(moodle_xml.dump(originals)).questions, strict=True)
    ]
    assert gift.dump(through_xml) == gift.dump(originals)


ONE_LINE = _texts([piece for piece in _PIECES if piece != "\n"])


@st.composite
def aiken_questions(draw: st.DrawFn) -> Question:
    texts = draw(st.lists(ONE_LINE, min_size=2, max_size=26))
    right = draw(st.integers(0, len(texts) - 1))
    choices = tuple(Choice(text=text, fraction=D(1) if index == right else D(0)) for index, text in enumerate(texts))
    return Question(line=0, content=QuestionContent(kind=Kind.SINGLE, stem=draw(ONE_LINE), choices=choices))


@settings(max_examples=200, deadline=None)
@given(st.lists(aiken_questions(), min_size=1, max_size=4))
def test_aiken_round_trip_single_answer(originals):
    assume(all(aiken.unsupported(question) is None for question in originals))
    result = aiken.parse(aiken.dump(originals))
    assert result.errors == ()
    assert [q.content for q in result.questions] == [q.content for q in originals]


@settings(max_examples=200, deadline=None)
@given(st.lists(questions(), min_size=1, max_size=4))
def test_aiken_writes_back_what_it_can_hold_and_names_the_rest(originals):
    kept = [question for question in originals if aiken.unsupported(question) is None]
    result = aiken.parse(aiken.dump(originals))
    assert result.errors == ()
    assert [q.content.stem for q in result.questions] == [q.content.stem for q in kept]
    for found, original in zip(result.questions, kept, strict=True):
        assert [(c.text, c.fraction) for c in found.content.choices] == [(c.text, c.fraction) for c in original.content.choices]
    for question in originals:
        if question.content.kind is not Kind.SINGLE:
            assert aiken.unsupported(question) is not None
