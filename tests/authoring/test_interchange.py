"""The ``--json`` shape: Moodle's GIFT examples and every type through to_json, errors and skipped kinds."""

import json

import pytest

from studyapp.authoring.formats import aiken, interchange, moodle_xml
from studyapp.questions.formats import gift

QUESTION_KEYS = {"type", "single", "name", "text", "options", "general_feedback", "tags", "idnumber", "category", "line"}
OPTION_KEYS = {"text", "fraction", "feedback", "tolerance"}


def only(text: str) -> interchange.QuestionJson:
    document = interchange.to_json(gift.parse(text))
    assert document["errors"] == []
    (question,) = document["questions"]
    return question


def options(question: interchange.QuestionJson) -> list[tuple]:
    return [(o["text"], o["fraction"], o["feedback"], o["tolerance"]) for o in question["options"]]


# Moodle's own GIFT examples (the reference's list), as --json gives them.
MOODLE_GIFT_EXAMPLES = [
    (
        "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
        "multichoice",
        True,
        "Who's buried in Grant's tomb?",
        [("Grant", 0, "", None), ("Jefferson", 0, "", None), ("no one", 1, "", None)],
    ),
    (
        "Grant is {~buried =entombed ~living} in Grant's tomb.",
        "multichoice",
        True,
        "Grant is _____ in Grant's tomb.",
        [("buried", 0, "", None), ("entombed", 1, "", None), ("living", 0, "", None)],
    ),
    (
        "What two people are entombed in Grant's tomb? {~%-50%No one ~%50%Grant ~%50%Grant's wife ~%-50%Grant's father }",
        "multichoice",
        False,
        "What two people are entombed in Grant's tomb?",
        [("No one", -0.5, "", None), ("Grant", 0.5, "", None), ("Grant's wife", 0.5, "", None), ("Grant's father", -0.5, "", None)],
    ),
    (
        r"Which answer equals 5? { ~ \= 2 + 2 = \= 2 + 3 ~ \= 2 + 4 }",
        "multichoice",
        True,
        "Which answer equals 5?",
        [("= 2 + 2", 0, "", None), ("= 2 + 3", 1, "", None), ("= 2 + 4", 0, "", None)],
    ),
    (
        "::Q1:: 42 is the Absolute Answer to everything.{FALSE#42 is the Ultimate Answer.#You gave the right answer.}",
        "truefalse",
        True,
        "42 is the Absolute Answer to everything.",
        [("True", 0, "42 is the Ultimate Answer.", None), ("False", 1, "You gave the right answer.", None)],
    ),
    ("Two plus two? {=four =%50%4#digits}", "shortanswer", True, "Two plus two?", [("four", 1, "", None), ("4", 0.5, "digits", None)]),
    ("Pi? {#3.14:0.005 =%50%3}", "numerical", True, "Pi?", [("3.14", 1, "", 0.005), ("3", 0.5, "", 0)]),
    ("Range? {#1..5}", "numerical", True, "Range?", [("3", 1, "", 2)]),
    (
        "Match {=Lambda -> functions =Fargate -> containers =-> machines}",
        "matching",
        True,
        "Match",
        [("Lambda -> functions", 1, "", None), ("Fargate -> containers", 1, "", None), ("-> machines", 0, "", None)],
    ),
]


@pytest.mark.parametrize(("source", "type_", "single", "text", "expected"), MOODLE_GIFT_EXAMPLES)
def test_gift_examples_in_the_json_shape(source, type_, single, text, expected):
    question = only(source)
    assert set(question) == QUESTION_KEYS
    assert all(set(option) == OPTION_KEYS for option in question["options"])
    assert (question["type"], question["single"], question["text"], question["line"]) == (type_, single, text, 1)
    assert options(question) == expected
    assert all(type(o["fraction"]) in (int, float) and -1 <= o["fraction"] <= 1 for o in question["options"])


def test_every_field_of_a_question():
    question = only("$CATEGORY: $course$/top/Mine\n\n// [id:q-7] [tag:lambda] [tag:d3]\n::Named:: Stem {=a#right ~b#wrong ####why}")
    assert question == {
        "type": "multichoice",
        "single": True,
        "name": "Named",
        "text": "Stem",
        "options": [
            {"text": "a", "fraction": 1, "feedback": "right", "tolerance": None},
            {"text": "b", "fraction": 0, "feedback": "wrong", "tolerance": None},
        ],
        "general_feedback": "why",
        "tags": ["lambda", "d3"],
        "idnumber": "q-7",
        "category": "$course$/top/Mine",
        "line": 4,
    }
    bare = only("Stem {T}")
    assert (bare["name"], bare["idnumber"], bare["tags"], bare["category"], bare["general_feedback"]) == ("", None, [], "", "")


def test_errors_name_the_question_and_essays_and_descriptions_are_skipped():
    source = "::E:: Explain {}\n\nJust some text\n\n::N:: How many? {#abc}\n\nGood {TRUE}\n\n{~only}"
    document = interchange.to_json(gift.parse(source, start_line=5))
    assert [q["text"] for q in document["questions"]] == ["Good"]
    assert document["errors"] == [
        {"line": 5, "message": "E: essay questions are not supported; skipped"},
        {"line": 7, "message": "Just some text: description questions (text with no answers) are not supported; skipped"},
        {"line": 9, "message": "N: not a number: 'abc'"},
        {"line": 13, "message": "{~only}: a choice question needs at least two options"},  # no name, no stem: its text names it
    ]


def test_skip_unsupported_keeps_a_result_without_essays_as_it_is():
    result = gift.parse("Good {TRUE}")
    assert interchange.skip_unsupported(result) is result
    skipped = interchange.skip_unsupported(gift.parse("Essay {}\n\nGood {TRUE}"))
    assert [q.content.stem for q in skipped.questions] == ["Good"]
    assert [(e.line, e.name, e.message) for e in skipped.errors] == [(1, "Essay", "essay questions are not supported; skipped")]


def test_every_format_gives_the_same_shape_and_json_can_write_it():
    gift_doc = interchange.to_json(gift.parse("Q? {=yes ~no}"))
    aiken_doc = interchange.to_json(aiken.parse("Q?\nA) yes\nB) no\nANSWER: A"))
    xml_doc = interchange.to_json(moodle_xml.parse(moodle_xml.dump(gift.parse("::Q?:: Q? {=yes ~no}").questions)))
    for document in (gift_doc, aiken_doc, xml_doc):
        assert options(document["questions"][0]) == [("yes", 1, "", None), ("no", 0, "", None)]
        assert json.loads(json.dumps(document)) == document
    broken = interchange.to_json(moodle_xml.parse("<quiz>"))
    assert broken == {"questions": [], "errors": [{"line": 1, "message": "not well-formed XML: no element found"}]}


def test_numbers_are_plain_json_numbers():
    question = only("Big? {#1e20:0.25 =%33.333%-0.0001}")
    assert options(question) == [("100000000000000000000", 1, "", 0.25), ("-0.0001", 0.33333, "", 0)]
    assert json.dumps(question["options"][0]["fraction"]) == "1"


# The GIFT errors issue 16 names, as an importer reports them: with the line and the question's name.
ISSUE_ERRORS = [
    ("::Pi:: Pi to two places? {#three}", "Pi: not a number: 'three'"),
    ("::Open:: Which service runs functions? {=Lambda ~EC2", "Open: unbalanced brace"),
    ("::Lonely:: Pick one {~only}", "Lonely: a choice question needs at least two options"),
    ("::Heavy:: Pick {=a ~%150%b}", "Heavy: a weight must be between -100% and 100%: '150%'"),
    ("::Light:: Pick {=a ~%-101%b}", "Light: a weight must be between -100% and 100%: '-101%'"),
    ("Unnamed question text {=a ~%-101%b}", "Unnamed question text: a weight must be between -100% and 100%: '-101%'"),
]


@pytest.mark.parametrize(("block", "message"), ISSUE_ERRORS)
def test_the_issues_gift_errors_carry_line_and_name(block, message):
    document = interchange.to_json(gift.parse(f"Before {{TRUE}}\n\n\n{block}\n\nAfter {{FALSE}}", start_line=10))
    assert [q["text"] for q in document["questions"]] == ["Before", "After"]
    assert document["errors"] == [{"line": 13, "message": message}]


def test_numbers_at_the_contents_bounds_still_make_valid_json():
    question = only("Huge? {#1e999:1e999 =%50%0.000000000000000000000000000000001}")
    json.dumps(question, allow_nan=False)
    assert question["options"][0]["text"] == "1E+999"
    assert question["options"][0]["tolerance"] == 10**999
