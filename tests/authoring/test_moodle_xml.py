"""Moodle XML parser and writer: every supported type as Moodle exports it, errors with lines and
names, unsupported types skipped, hostile XML refused, dump readable by Moodle and by parse."""

import re
from decimal import Decimal
from xml.etree import ElementTree

import pytest

from studyapp.authoring.formats import moodle_xml
from studyapp.questions.content import Choice, Kind, MatchPair, NumericalAnswer, QuestionContent
from studyapp.questions.formats.gift import Question

D = Decimal

# Written the way Moodle's qformat_xml exports (question/format/xml/format.php): a category question
# first, CDATA for HTML, fractions as percentages, per-answer feedback, tags and idnumbers.
EXPORT = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$course$/top/Default for CLF-C02</text>
    </category>
    <info format="moodle_auto_format">
      <text>The default category.</text>
    </info>
    <idnumber></idnumber>
  </question>

<!-- question: 11  -->
  <question type="multichoice">
    <name>
      <text>Lambda timeout</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>What is the longest a <b>Lambda</b> invocation can run?</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>At most 900 seconds.</p>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber>lambda-max-timeout</idnumber>
    <single>true</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <correctfeedback format="html">
      <text>Your answer is correct.</text>
    </correctfeedback>
    <answer fraction="100" format="html">
      <text><![CDATA[<p>15 minutes</p>]]></text>
      <feedback format="html">
        <text>Right &amp; proper.</text>
      </feedback>
    </answer>
    <answer fraction="0" format="html">
      <text>5 minutes</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <tags>
      <tag><text>lambda</text>
      </tag>
      <tag><text>domain-3</text>
      </tag>
    </tags>
  </question>

<!-- question: 12  -->
  <question type="multichoice">
    <name><text>Serverless pair</text></name>
    <questiontext format="moodle_auto_format"><text>Which TWO are serverless?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>AWS Lambda</text></answer>
    <answer fraction="50"><text>AWS Fargate</text></answer>
    <answer fraction="-100"><text>Amazon EC2</text></answer>
    <answer fraction="-33.33333"><text>Nothing</text></answer>
  </question>

  <question type="category">
    <category>
      <text>$course$/top/Default for CLF-C02/True or false</text>
    </category>
  </question>

  <question type="truefalse">
    <name><text>Q1</text></name>
    <questiontext format="plain_text"><text>42 is the Absolute Answer to everything.</text></questiontext>
    <answer fraction="0" format="moodle_auto_format">
      <text>true</text>
      <feedback format="moodle_auto_format"><text>42 is the Ultimate Answer.</text></feedback>
    </answer>
    <answer fraction="100" format="moodle_auto_format">
      <text>false</text>
      <feedback format="moodle_auto_format"><text>You gave the right answer.</text></feedback>
    </answer>
  </question>

  <question type="shortanswer">
    <name><text>Compute service</text></name>
    <questiontext format="markdown"><text>Which service runs **containers** without servers?</text></questiontext>
    <usecase>1</usecase>
    <answer fraction="100"><text>Fargate</text></answer>
    <answer fraction="50"><text>AWS Fargate</text><feedback><text>Just "Fargate".</text></feedback></answer>
  </question>

  <question type="numerical">
    <name><text>Timeout seconds</text></name>
    <questiontext format="html"><text>Lambda's maximum timeout, in seconds?</text></questiontext>
    <answer fraction="100">
      <text>900</text>
      <tolerance>0</tolerance>
      <feedback><text>Yes.</text></feedback>
    </answer>
    <answer fraction="50">
      <text>15</text>
      <tolerance>0.5</tolerance>
    </answer>
    <units/>
    <unitgradingtype>0</unitgradingtype>
  </question>

  <question type="matching">
    <name><text>Match</text></name>
    <questiontext format="html"><text>Match each service to what it runs.</text></questiontext>
    <shuffleanswers>true</shuffleanswers>
    <subquestion format="html"><text>Lambda</text><answer><text>functions</text></answer></subquestion>
    <subquestion format="html"><text>Fargate</text><answer><text>containers</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>virtual machines</text></answer></subquestion>
  </question>
</quiz>
"""


def test_every_supported_type_as_moodle_exports_it():
    result = moodle_xml.parse(EXPORT)
    assert result.errors == ()
    timeout, pair, true_false, short, numerical, matching = result.questions
    top = "$course$/top/Default for CLF-C02"

    assert (timeout.line, timeout.name, timeout.id, timeout.tags, timeout.category) == (
        15,
        "Lambda timeout",
        "lambda-max-timeout",
        ("lambda", "domain-3"),
        top,
    )
    assert timeout.text_format == "html"
    assert timeout.content.kind is Kind.SINGLE
    assert timeout.content.stem == "<p>What is the longest a <b>Lambda</b> invocation can run?</p>"
    assert timeout.content.explanation == "<p>At most 900 seconds.</p>"
    assert timeout.content.choices == (
        Choice(text="<p>15 minutes</p>", fraction=D(1), feedback="Right & proper."),
        Choice(text="5 minutes", fraction=D(0)),
    )

    assert (pair.content.kind, pair.text_format, pair.id, pair.tags) == (Kind.MULTIPLE, "moodle", None, ())
    assert [c.fraction for c in pair.content.choices] == [D("0.5"), D("0.5"), D(-1), D("-0.3333333")]

    assert true_false.category == top + "/True or false"
    assert (true_false.content.kind, true_false.text_format) == (Kind.TRUEFALSE, "plain")
    assert true_false.content.choices == (
        Choice(text="True", fraction=D(0), feedback="42 is the Ultimate Answer."),
        Choice(text="False", fraction=D(1), feedback="You gave the right answer."),
    )

    assert (short.content.kind, short.text_format, short.content.case_sensitive) == (Kind.SHORTANSWER, "markdown", True)
    assert short.content.choices == (
        Choice(text="Fargate", fraction=D(1)),
        Choice(text="AWS Fargate", fraction=D("0.5"), feedback='Just "Fargate".'),
    )

    assert numerical.content.numerical == (
        NumericalAnswer(value=D(900), tolerance=D(0), fraction=D(1), feedback="Yes."),
        NumericalAnswer(value=D(15), tolerance=D("0.5"), fraction=D("0.5")),
    )
    assert matching.content.pairs == (
        MatchPair(question="Lambda", answer="functions"),
        MatchPair(question="Fargate", answer="containers"),
        MatchPair(question="", answer="virtual machines"),
    )
    assert [q.line for q in result.questions] == [15, 56, 72, 85, 93, 109]


def test_bytes_in_their_declared_encoding():
    text = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<quiz><question type="truefalse"><questiontext><text>Caf\xe9?</text></questiontext>'
    )
    text += '<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>'
    (question,) = moodle_xml.parse(text.encode("latin-1")).questions
    assert question.content.stem == "Café?"
    assert question.text_format == "html"  # Moodle's default when the attribute is absent


QUESTION = (
    '<question type="{type}">\n<name><text>{name}</text></name>\n<questiontext><text>Stem?</text></questiontext>\n{body}\n</question>'
)


def wrap(*questions: str) -> str:
    return "<quiz>\n" + "\n".join(questions) + "\n</quiz>\n"


def question(body: str, *, type: str = "multichoice", name: str = "Bad") -> str:
    return QUESTION.format(type=type, name=name, body=body)


GOOD = question('<answer fraction="100"><text>a</text></answer>\n<answer fraction="0"><text>b</text></answer>', name="Good")

# (type, body, the error's line counted from the <question> tag (0), message)
ERROR_CASES = [
    (
        "multichoice",
        '<answer fraction="100"><text>only</text></answer>',
        0,
        "a multiple-choice question needs at least two options, this one has 1",
    ),
    (
        "multichoice",
        '<answer fraction="50"><text>a</text></answer>\n<answer><text>b</text></answer>',
        0,
        "a single-answer question needs an option worth 100%",
    ),
    (
        "multichoice",
        '<single>false</single>\n<answer fraction="50"><text>a</text></answer>\n<answer fraction="25"><text>b</text></answer>',
        0,
        "the positive fractions of a multiple-answer question add up to 75%, not 100%",
    ),
    (
        "multichoice",
        '<answer fraction="100"><text>a</text></answer>\n<answer fraction="150"><text>b</text></answer>',
        4,
        "a fraction must be between -100 and 100 (a percentage), got '150'",
    ),
    (
        "multichoice",
        '<answer fraction="100"><text>a</text></answer>\n<answer fraction="-101"><text>b</text></answer>',
        4,
        "a fraction must be between -100 and 100 (a percentage), got '-101'",
    ),
    (
        "multichoice",
        '<answer fraction="100"><text>a</text></answer>\n<answer fraction="lots"><text>b</text></answer>',
        4,
        "the fraction is not a number: 'lots'",
    ),
    (
        "multichoice",
        '<answer fraction="100"><text>a</text></answer>\n<answer fraction="0"><text> </text></answer>',
        4,
        "option 2 has no text",
    ),
    (
        "multichoice",
        '<single>maybe</single>\n<answer fraction="100"><text>a</text></answer>',
        3,
        "<single> must be true, false, 1 or 0, got 'maybe'",
    ),
    (
        "multichoice",
        '<answer fraction="100"><text>a <b>b</b></text></answer>\n<answer><text>c</text></answer>',
        3,
        "the <text> of <answer> holds XML elements: write HTML escaped or inside <![CDATA[...]]>",
    ),
    ("multichoice", "<defaultgrade>x</defaultgrade>", 3, "the default grade is not a number: 'x'"),
    ("multichoice", "<defaultgrade>-1</defaultgrade>", 3, "the default grade cannot be negative"),
    (
        "truefalse",
        '<answer fraction="100"><text>true</text></answer>\n<answer fraction="100"><text>false</text></answer>',
        0,
        "a true/false question needs two answers, 'true' and 'false', one worth 100% and the other 0%",
    ),
    (
        "truefalse",
        '<answer fraction="100"><text>yes</text></answer>\n<answer fraction="0"><text>no</text></answer>',
        0,
        "a true/false question needs two answers, 'true' and 'false', one worth 100% and the other 0%",
    ),
    ("multichoice", "<shuffleanswers>sometimes</shuffleanswers>", 3, "<shuffleanswers> must be true, false, 1 or 0, got 'sometimes'"),
    ("shortanswer", "<usecase>2</usecase>", 3, "<usecase> must be true, false, 1 or 0, got '2'"),
    ("shortanswer", "", 0, "a short-answer question needs at least one answer"),
    ("shortanswer", '<answer fraction="100"><text></text></answer>', 3, "answer 1 has no text"),
    ("numerical", '<answer fraction="100"><text>abc</text></answer>', 3, "the answer is not a number: 'abc'"),
    (
        "numerical",
        '<answer fraction="100"><text>5</text>\n<tolerance>wide</tolerance></answer>',
        4,
        "the tolerance is not a number: 'wide'",
    ),
    (
        "numerical",
        '<answer fraction="100"><text>5</text>\n<tolerance>-1</tolerance></answer>',
        4,
        "a tolerance cannot be negative, got '-1'",
    ),
    (
        "numerical",
        '<answer fraction="100"><text>5</text></answer>\n<answer fraction="0"><text>*</text></answer>',
        4,
        "a numerical '*' answer (feedback for any other number) is not supported",
    ),
    ("numerical", "", 0, "a numerical question needs at least one answer"),
    (
        "matching",
        "<subquestion><text>a</text><answer><text>b</text></answer></subquestion>",
        0,
        "a matching question needs at least two sub-questions",
    ),
    ("matching", "<subquestion><text>a</text><answer><text></text></answer></subquestion>", 3, "a matching sub-question needs an answer"),
    ("essay", "<responseformat>editor</responseformat>", 0, "essay questions are not supported; skipped"),
    ("description", "", 0, "description questions are not supported; skipped"),
    ("multianswer", "", 0, "cloze (multianswer) questions are not supported; skipped"),
    ("calculated", "", 0, "calculated questions are not supported; skipped"),
    ("random", "", 0, "random questions are not supported; skipped"),
    ("ddwtos", "", 0, "drag and drop into text questions are not supported; skipped"),
    ("hotspot", "", 0, "'hotspot' questions are not supported; skipped"),
]


@pytest.mark.parametrize(("type_", "body", "offset", "message"), ERROR_CASES)
def test_each_error_with_its_line_and_name_while_good_questions_still_come_back(type_, body, offset, message):
    bad = question(body, type=type_, name="Bad one")
    source = wrap(GOOD, bad, GOOD)
    result = moodle_xml.parse(source)
    bad_line = 2 + GOOD.count("\n") + 1
    assert [(q.name, q.line) for q in result.questions] == [("Good", 2), ("Good", bad_line + bad.count("\n") + 1)]
    assert [(e.line, e.name, e.message) for e in result.errors] == [(bad_line + offset, "Bad one", message)]


def test_an_unnamed_question_is_named_by_its_first_words():
    source = wrap(
        '<question type="essay"><questiontext format="html"><text><![CDATA[<p>Explain <em>cold starts</em> in Lambda.</p>]]></text></questiontext></question>'
    )
    (error,) = moodle_xml.parse(source).errors
    assert error.name == "Explain cold starts in Lambda."


def test_other_structural_errors():
    source = wrap(
        '<question type="multichoice"><name><text>No text</text></name></question>',
        '<question type="multichoice"><questiontext format="rtf"><text>x</text></questiontext></question>',
        '<question type="category"></question>',
        "<questions/>",
        "<question><questiontext><text>No type</text></questiontext></question>",
        '<question type="essay"/>',
    )
    result = moodle_xml.parse(source)
    assert result.questions == ()
    assert not moodle_xml.unreadable(result)
    assert [(e.line, e.name, e.message) for e in result.errors] == [
        (2, "No text", "the question has no <questiontext>"),
        (3, "x", "unknown text format 'rtf' (known: html, moodle_auto_format, plain_text, markdown)"),
        (4, "category", "a category question has no <category>"),
        (5, "<questions>", "unexpected <questions> in <quiz>: only <question> elements are read"),
        (6, "No type", "untyped questions are not supported; skipped"),
        (7, "untitled essay question", "essay questions are not supported; skipped"),
    ]
    assert not moodle_xml.unreadable(moodle_xml.parse(wrap('<question type="category"/>')))


FILE_ERRORS = [
    ("", 1, "not well-formed XML: no element found"),
    ("just some text", 1, "not well-formed XML: syntax error"),
    ("<quiz>\n<question type='truefalse'>\n</quiz>", 3, "not well-formed XML: mismatched tag"),
    ("<quiz>\n\n<question>&nbsp;</question></quiz>", 3, "not well-formed XML: undefined entity"),
    ("<?xml version='1.0'?>\n<html><body/></html>", 2, "the root element is <html>, not <quiz>: this is not a Moodle XML question file"),
    (b"<?xml version='1.0' encoding='klingon'?><quiz/>", 1, "the file cannot be read as XML: unknown encoding: klingon"),
    (b"\xff\xfe\x00<quiz>", 1, "not well-formed XML: not well-formed (invalid token)"),
]


@pytest.mark.parametrize(("source", "line", "message"), FILE_ERRORS)
def test_a_broken_file_is_one_error_at_the_line_expat_reports(source, line, message):
    result = moodle_xml.parse(source)
    assert result.questions == ()
    assert [(e.line, e.name, e.message) for e in result.errors] == [(line, "", message)]
    assert moodle_xml.unreadable(result)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<quiz><question type="truefalse"><questiontext><text>&lol9;</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><questiontext><text>&secret;</text></questiontext>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>
"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY % remote SYSTEM "http://127.0.0.1:1/evil.dtd"> %remote;]>
<quiz/>
"""

REFUSED = "the file declares a DTD (<!DOCTYPE ...>), which is refused: entities are never expanded"


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY], ids=["billion-laughs", "external", "parameter"])
def test_entities_are_refused_not_expanded(document, monkeypatch):
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser tried to fetch something")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    for source in (document, document.encode()):
        result = moodle_xml.parse(source)
        assert result.questions == ()
        assert [(e.line, e.message) for e in result.errors] == [(2, REFUSED)]
        assert "lol" not in repr(result) and "root:" not in repr(result)


# --- dump ---------------------------------------------------------------------------------------------


def test_dump_reads_back_and_is_what_moodle_reads():
    """Moodle's importer reads <quiz><question type=...> with a <name>, a <questiontext> and answers."""
    parsed = moodle_xml.parse(EXPORT).questions
    written = moodle_xml.dump(parsed)
    root = ElementTree.fromstring(written)
    assert root.tag == "quiz"
    types = [q.get("type") for q in root.iter("question")]
    assert types == ["category", "multichoice", "multichoice", "category", "truefalse", "shortanswer", "numerical", "matching"]
    for element in root.iter("question"):
        if element.get("type") != "category":
            assert element.findtext("name/text")
            assert element.find("questiontext").get("format") in moodle_xml.FORMATS
    assert written.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n')
    again = moodle_xml.parse(written)
    assert again.errors == ()
    assert [q.content for q in again.questions] == [q.content for q in parsed]
    assert [(q.id, q.tags, q.category, q.text_format) for q in again.questions] == [
        (q.id, q.tags, q.category, q.text_format) for q in parsed
    ]


def test_dump_escapes_markup_and_keeps_carriage_returns():
    content = QuestionContent(
        kind=Kind.SINGLE,
        name="<script>alert(1)</script>",
        stem="a < b && c > d ]]> \r\n done",
        choices=(Choice(text="<b>x</b>", fraction=D(1), feedback="&amp;"), Choice(text="y", fraction=D(0))),
    )
    question = Question(line=0, text_format="html", content=content)
    written = moodle_xml.dump([question])
    assert "<script>" not in written and "<b>" not in written
    (back,) = moodle_xml.parse(written).questions
    assert back.content == content


def test_dump_writes_a_name_for_a_question_without_one():
    content = QuestionContent(
        kind=Kind.SHORTANSWER, stem="Which service runs <em>functions</em>?", choices=(Choice(text="Lambda", fraction=D(1)),)
    )
    (back,) = moodle_xml.parse(moodle_xml.dump([Question(line=0, content=content)])).questions
    assert back.name == "Which service runs functions ?"


def test_unsupported_and_dump_skips_it():
    essay = Question(line=0, content=QuestionContent(kind=Kind.ESSAY, stem="Explain."))
    control = Question(line=0, content=QuestionContent(kind=Kind.SHORTANSWER, stem="bell\x07", choices=(Choice(text="a", fraction=D(1)),)))
    odd_format = Question(
        line=0, text_format="rtf", content=QuestionContent(kind=Kind.SHORTANSWER, stem="s", choices=(Choice(text="a", fraction=D(1)),))
    )
    assert moodle_xml.unsupported(essay) == "essay questions are not supported"
    assert moodle_xml.unsupported(control) == "a text holds a control character XML cannot carry"
    assert moodle_xml.unsupported(odd_format) == "unknown text format 'rtf'"
    assert re.sub(r"\s+", "", moodle_xml.dump([essay, control, odd_format])) == '<?xmlversion="1.0"encoding="UTF-8"?><quiz></quiz>'


# The shape of Moodle's own fixture question/format/xml/tests/fixtures/truefalse.xml (its base64 images
# shortened): <file> elements beside <text>, answers "true"/"false" in that order or the other.
MOODLE_TRUEFALSE_FIXTURE = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
        <text>$course$/Default for testhead/TrueFalse</text>

    </category>
  </question>

<!-- question: 2284  -->
  <question type="truefalse">
    <name>
      <text>Moodle acronym (False)</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Moodle <img src="@@PLUGINFILE@@/logo.jpg" alt="Moodle logo" width="48" height="48" /> is an acronym.</p>]]></text>
<file name="logo.jpg" encoding="base64">/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEAAkGBggGBQkIBwgKCQkKDRYODQwMDRoTFBAWHxwh</file>    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>For further information, see the documentation.</p>]]></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <answer fraction="0" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html">
        <text><![CDATA[<p>Your answer is incorrect.</p>]]></text>
<file name="thumbdown.jpg" encoding="base64">/9j/4AAQSkZJRgABAQAAAQABAAD</file>      </feedback>
    </answer>
    <answer fraction="100" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html">
        <text><![CDATA[<p>Your answer is correct.</p>]]></text>
      </feedback>
    </answer>
  </question>
</quiz>
"""


def test_moodles_own_true_false_fixture():
    result = moodle_xml.parse(MOODLE_TRUEFALSE_FIXTURE.encode())
    assert result.errors == ()
    (question,) = result.questions
    assert (question.line, question.name, question.category) == (12, "Moodle acronym (False)", "$course$/Default for testhead/TrueFalse")
    assert question.content.stem.startswith('<p>Moodle <img src="@@PLUGINFILE@@/logo.jpg"')
    assert question.content.explanation == "<p>For further information, see the documentation.</p>"
    assert question.content.choices == (
        Choice(text="True", fraction=D(0), feedback="<p>Your answer is incorrect.</p>"),
        Choice(text="False", fraction=D(1), feedback="<p>Your answer is correct.</p>"),
    )
