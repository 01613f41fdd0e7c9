"""The three parsers take anything: no exception escapes, and every error has a line of 1 or more
(in the caller's numbering for the text formats)."""

import json
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.authoring.formats import aiken, interchange, moodle_xml
from studyapp.questions.formats import gift
from studyapp.questions.formats.gift import ParseResult

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(result: ParseResult, first_line: int = 1, last_line: int | None = None) -> None:
    assert isinstance(result, ParseResult)
    for error in result.errors:
        assert isinstance(error.line, int) and error.line >= first_line
        if last_line is not None:
            assert error.line <= last_line
        assert error.message
    for question in result.questions:
        assert question.line >= first_line
    json.dumps(interchange.to_json(result), allow_nan=False)  # whatever parses can be shown as --json


def check_names(result: ParseResult) -> None:
    """A Moodle XML error names its question, unless it is the one error of an unreadable file."""
    if any(not error.name for error in result.errors):
        assert moodle_xml.unreadable(result)


def lines_of(text: str) -> int:
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


# Text made mostly of each format's own syntax, so that the fuzzing reaches past the first check.
GIFT_TOKENS = st.sampled_from(
    [
        *"{}~=#:%\\\n\n\r ->.0123456789abcT",
        "TRUE",
        "FALSE",
        "::",
        "->",
        "####",
        "//",
        "[id:x]",
        "[tag:y]",
        "$CATEGORY: c",
        "[html]",
        "..",
        "%50%",
        "%-100%",
        "%abc%",
        "\\n",
        "1e5",
        "\ufdd0",
        "\ufeff",
    ]
)
AIKEN_TOKENS = st.sampled_from([*"ABCZ.) \n\n\r\tx?:", "ANSWER:", "ANSWER: ", "answer", "A) ", "B. ", "C)", "\ufeff", "\x0b"])
XML_TOKENS = st.sampled_from(
    [
        "<quiz>",
        "</quiz>",
        '<question type="multichoice">',
        '<question type="truefalse">',
        '<question type="numerical">',
        '<question type="matching">',
        '<question type="shortanswer">',
        '<question type="category">',
        '<question type="essay">',
        "</question>",
        "<name><text>n</text></name>",
        '<questiontext format="html"><text>',
        "</text></questiontext>",
        '<answer fraction="100">',
        '<answer fraction="0">',
        '<answer fraction="x">',
        '<answer fraction="-1e3">',
        "</answer>",
        "<text>",
        "</text>",
        "true",
        "false",
        "5",
        "*",
        "<tolerance>",
        "</tolerance>",
        "<subquestion>",
        "</subquestion>",
        "<single>false</single>",
        "<category><text>$course$/top</text></category>",
        "<tags><tag><text>t</text></tag></tags>",
        "<![CDATA[<p>x</p>]]>",
        "&amp;",
        "&lt;",
        "&bogus;",
        "<!DOCTYPE quiz>",
        "<?xml version='1.0'?>",
        "<!-- c -->",
        "\n",
        " ",
        "\r",
        "<idnumber>i</idnumber>",
        "<usecase>1</usecase>",
        "<defaultgrade>2</defaultgrade>",
        '<questiontext format="rtf">',
        "]]>",
    ]
)


def joined(tokens: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(tokens, max_size=60).map("".join)


ANY_TEXT = st.text(max_size=300)


@FUZZ
@given(text=st.one_of(ANY_TEXT, joined(GIFT_TOKENS)), start_line=st.integers(1, 10_000))
def test_gift_takes_anything(text, start_line):
    check(gift.parse(text, start_line=start_line), start_line, start_line + lines_of(text) - 1)


@FUZZ
@given(text=st.one_of(ANY_TEXT, joined(AIKEN_TOKENS)), start_line=st.integers(1, 10_000))
def test_aiken_takes_anything(text, start_line):
    check(aiken.parse(text, start_line=start_line), start_line, start_line + lines_of(text) - 1)


@FUZZ
@given(text=st.one_of(ANY_TEXT, joined(XML_TOKENS), joined(XML_TOKENS).map(lambda t: f"<quiz>{t}</quiz>")))
def test_moodle_xml_takes_any_text(text):
    result = moodle_xml.parse(text)
    check(result, 1, lines_of(text))
    check_names(result)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), joined(XML_TOKENS).map(lambda t: f"<quiz>{t}</quiz>".encode("utf-16"))))
def test_moodle_xml_takes_any_bytes(data):
    result = moodle_xml.parse(data)
    check(result)
    check_names(result)


@FUZZ
@given(text=st.text(alphabet=string.printable, max_size=200))
def test_moodle_xml_takes_any_text_inside_a_question(text):
    check(moodle_xml.parse(f'<quiz>\n<question type="multichoice">\n{text}\n</question>\n</quiz>'))


def test_surrogates_and_deep_nesting():
    check(moodle_xml.parse("<quiz><question type='truefalse'><questiontext><text>\ud800</text></questiontext></question></quiz>"))
    check(moodle_xml.parse("<quiz>" + "<a>" * 50_000 + "</a>" * 50_000 + "</quiz>"))
    check(gift.parse("{" * 50_000))
    check(aiken.parse("Q?\n" + "A) a\n" * 10_000 + "ANSWER: A"))
