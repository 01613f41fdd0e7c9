"""Aiken parser and writer: Moodle's documented example, the strict errors with their lines, what
dump leaves out and says why."""

from decimal import Decimal

import pytest

from studyapp.authoring.formats import aiken
from studyapp.questions.content import Choice, Kind, MatchPair, NumericalAnswer, QuestionContent
from studyapp.questions.formats.gift import GiftError, ParseResult, Question

D = Decimal

# Moodle's own example (docs.moodle.org, "Aiken format"): both option markers, six options.
MOODLE_EXAMPLE = """\
What is the correct answer to this question?
A. Is it this one?
B. Maybe this answer?
C. Possibly this one?
D. Must be this one!
ANSWER: D

Which LMS has the most quiz import formats?
A) Moodle
B) ATutor
C) Claroline
D) Blackboard
E) WebCT
F) Ilias
ANSWER: A
"""


def single(stem: str, texts: list[str], right: int, **extra: object) -> Question:
    choices = tuple(Choice(text=text, fraction=D(1) if index == right else D(0)) for index, text in enumerate(texts))
    return Question(line=0, content=QuestionContent(kind=Kind.SINGLE, stem=stem, choices=choices, **extra))  # type: ignore[arg-type]


MOODLE_QUESTIONS = [
    (
        MOODLE_EXAMPLE.split("\n\n")[0],
        "What is the correct answer to this question?",
        ["Is it this one?", "Maybe this answer?", "Possibly this one?", "Must be this one!"],
        [0, 0, 0, 1],
    ),
    (
        MOODLE_EXAMPLE.split("\n\n")[1],
        "Which LMS has the most quiz import formats?",
        ["Moodle", "ATutor", "Claroline", "Blackboard", "WebCT", "Ilias"],
        [1, 0, 0, 0, 0, 0],
    ),
]


@pytest.mark.parametrize(("source", "stem", "texts", "fractions"), MOODLE_QUESTIONS, ids=["A.-markers", "A)-markers"])
def test_moodle_examples_one_by_one(source, stem, texts, fractions):
    (question,) = aiken.parse(source).questions
    assert (question.content.kind, question.content.stem) == (Kind.SINGLE, stem)
    assert [c.text for c in question.content.choices] == texts
    assert [c.fraction for c in question.content.choices] == fractions
    assert all(isinstance(c.fraction, Decimal) and c.feedback == "" for c in question.content.choices)


def test_moodle_example():
    result = aiken.parse(MOODLE_EXAMPLE)
    assert result.errors == ()
    first, second = result.questions
    assert (first.line, first.content.kind, first.content.stem) == (1, Kind.SINGLE, "What is the correct answer to this question?")
    assert [c.text for c in first.content.choices] == ["Is it this one?", "Maybe this answer?", "Possibly this one?", "Must be this one!"]
    assert [c.fraction for c in first.content.choices] == [0, 0, 0, 1]
    assert (second.line, second.content.stem) == (8, "Which LMS has the most quiz import formats?")
    assert [c.text for c in second.content.choices] == ["Moodle", "ATutor", "Claroline", "Blackboard", "WebCT", "Ilias"]
    assert [c.fraction for c in second.content.choices] == [1, 0, 0, 0, 0, 0]
    assert (first.name, first.id, first.tags, first.category, first.text_format) == ("", None, (), "", "moodle")


@pytest.mark.parametrize(
    ("source", "texts", "fractions"),
    [
        ("Q?\nA.one\nB)two\nANSWER: B", ["one", "two"], [0, 1]),  # the space after the marker is optional
        ("  Q?  \n\tA) one  \n  B) two\n  ANSWER:A  ", ["one", "two"], [1, 0]),  # surrounding whitespace
        ("Q?\r\nA) one\r\nB) two\r\nANSWER: A\r\n", ["one", "two"], [1, 0]),  # CRLF
        ("\ufeffQ?\nA) a. b) c\nB) x: y\nANSWER: B", ["a. b) c", "x: y"], [0, 1]),  # BOM; markers inside text are text
    ],
)
def test_accepted_spellings(source, texts, fractions):
    (question,) = aiken.parse(source).questions
    assert question.content.stem == "Q?"
    assert [c.text for c in question.content.choices] == texts
    assert [c.fraction for c in question.content.choices] == fractions


def test_a_question_after_an_answer_line_needs_no_blank_line_and_lines_follow_start_line():
    result = aiken.parse("First?\nA) a\nB) b\nANSWER: A\nSecond?\nA) c\nB) d\nANSWER: B\n\n\nThird?\nA) e\nB) f\nANSWER: A", start_line=20)
    assert result.errors == ()
    assert [(q.content.stem, q.line) for q in result.questions] == [("First?", 20), ("Second?", 24), ("Third?", 30)]


ERROR_CASES = [
    # (block, the error's line within the block (0 = its first line), message)
    ("Letter?\nA) a\nB) b\nANSWER: C", 3, "ANSWER: C names no option (the question has options A to B)"),
    ("Too few?\nA) a\nANSWER: A", 0, "a multiple-choice question needs at least two options, this one has 1"),
    ("None?\nANSWER: A", 0, "a multiple-choice question needs at least two options, this one has 0"),
    ("Twice?\nA) a\nB) b\nB) c\nANSWER: A", 3, "option B appears twice"),
    ("Order?\nA) a\nC) c\nANSWER: A", 2, "option C comes after A: options run A, B, C... in order"),
    ("Start?\nB) b\nC) c\nANSWER: B", 1, "option B comes first: options run A, B, C... in order"),
    ("Missing?\nA) a\nB) b", 0, "the question has no 'ANSWER: X' line"),
    (
        "Two lines\nof stem?\nA) a\nB) b\nANSWER: A",
        1,
        "a question's stem is one line: this line is neither an option ('A) text') nor 'ANSWER: X'",
    ),
    ("Lower?\nA) a\nB) b\nANSWER: b", 3, "the answer line must be 'ANSWER: ' and one capital letter, got 'ANSWER: b'"),
    ("Word?\nA) a\nB) b\nAnswer: A", 3, "the answer line must be 'ANSWER: ' and one capital letter, got 'Answer: A'"),
    ("Two?\nA) a\nB) b\nANSWER: AB", 3, "the answer line must be 'ANSWER: ' and one capital letter, got 'ANSWER: AB'"),
    ("Empty?\nA) a\nB)\nANSWER: A", 2, "option B has no text"),
    ("A) no stem\nB) b\nANSWER: A", 0, "an option or ANSWER line with no question stem before it"),
    ("ANSWER: A", 0, "an option or ANSWER line with no question stem before it"),
]


@pytest.mark.parametrize(("block", "offset", "message"), ERROR_CASES)
def test_each_error_with_its_line_and_name_while_good_questions_still_come_back(block, offset, message):
    source = f"Good one?\nA) yes\nB) no\nANSWER: A\n\n{block}\n\nGood two?\nA) yes\nB) no\nANSWER: B\n"
    result = aiken.parse(source, start_line=10)
    assert [(q.content.stem, q.line) for q in result.questions] == [("Good one?", 10), ("Good two?", 17 + block.count("\n"))]
    assert [(e.line, e.message) for e in result.errors] == [(15 + offset, message)]
    assert result.errors[0].name == block.split("\n", 1)[0]


def test_the_error_names_the_question_by_its_first_words():
    stem = "Which service runs code without servers and bills per millisecond of compute time used?"
    (error,) = aiken.parse(f"{stem}\nA) Lambda\nB) EC2\nANSWER: Z").errors
    assert error.name == "Which service runs code without servers and bills per mil..."


def test_several_problems_in_one_question_are_all_reported_in_line_order():
    result = aiken.parse("Bad?\nB) b\nB) c\nANSWER: D")
    assert result.questions == ()
    assert [(e.line, e.message) for e in result.errors] == [
        (2, "option B comes first: options run A, B, C... in order"),
        (3, "option B appears twice"),
        (4, "ANSWER: D names no option (the question has options B to B)"),
    ]


def test_empty_text():
    assert aiken.parse("") == ParseResult(questions=(), errors=())
    assert aiken.parse("\n  \n\t\n") == ParseResult(questions=(), errors=())


# --- dump and unsupported ----------------------------------------------------------------------------


def test_dump_writes_aiken_and_reads_back():
    questions = [single("First?", ["a", "b", "c"], 2), single("Second?", ["x", "y"], 0)]
    written = aiken.dump(questions)
    assert written == "First?\nA. a\nB. b\nC. c\nANSWER: C\n\nSecond?\nA. x\nB. y\nANSWER: A\n"
    result = aiken.parse(written)
    assert result.errors == ()
    assert [q.content for q in result.questions] == [q.content for q in questions]
    assert aiken.dump([]) == ""


def test_dump_leaves_out_what_aiken_cannot_hold_and_unsupported_says_why():
    true_false = QuestionContent(
        kind=Kind.TRUEFALSE, stem="T?", choices=(Choice(text="True", fraction=D(1)), Choice(text="False", fraction=D(0)))
    )
    cases = [
        (Question(line=0, content=true_false), "true/false questions cannot be written in Aiken"),
        (
            Question(
                line=0,
                content=QuestionContent(
                    kind=Kind.MULTIPLE, stem="M?", choices=(Choice(text="a", fraction=D("0.5")), Choice(text="b", fraction=D("0.5")))
                ),
            ),
            "multiple-answer questions cannot be written in Aiken",
        ),
        (
            Question(line=0, content=QuestionContent(kind=Kind.SHORTANSWER, stem="S?", choices=(Choice(text="a", fraction=D(1)),))),
            "short-answer questions cannot be written in Aiken",
        ),
        (
            Question(
                line=0,
                content=QuestionContent(
                    kind=Kind.NUMERICAL, stem="N?", numerical=(NumericalAnswer(value=D(1), tolerance=D(0), fraction=D(1)),)
                ),
            ),
            "numerical questions cannot be written in Aiken",
        ),
        (
            Question(line=0, content=QuestionContent(kind=Kind.MATCHING, stem="M?", pairs=(MatchPair(question="a", answer="b"),))),
            "matching questions cannot be written in Aiken",
        ),
        (Question(line=0, content=QuestionContent(kind=Kind.ESSAY, stem="E?")), "essay questions cannot be written in Aiken"),
        (single("Two\nlines?", ["a", "b"], 0), "multi-line stem"),
        (single("Q?", ["a", "b\nc"], 0), "multi-line option"),
        (single("", ["a", "b"], 0), "the question has no stem"),
        (single("A) looks like an option", ["a", "b"], 0), "the stem would read as an option or an ANSWER line"),
        (single("ANSWER: B", ["a", "b"], 0), "the stem would read as an option or an ANSWER line"),
        (single("Q?", [f"o{n}" for n in range(27)], 0), "27 options: Aiken has letters for 26"),
    ]
    half = QuestionContent(kind=Kind.SINGLE, stem="Half?", choices=(Choice(text="a", fraction=D(1)), Choice(text="b", fraction=D("0.5"))))
    both = QuestionContent(kind=Kind.SINGLE, stem="Both?", choices=(Choice(text="a", fraction=D(1)), Choice(text="b", fraction=D(1))))
    negative = QuestionContent(kind=Kind.SINGLE, stem="Neg?", choices=(Choice(text="a", fraction=D(1)), Choice(text="b", fraction=D(-1))))
    for content in (half, both, negative):
        cases.append(
            (
                Question(line=0, content=content),
                "Aiken holds exactly one right option (100%) and the others at 0%: partial or negative credit cannot be written",
            )
        )
    good = single("Good?", ["a", "b"], 1)
    assert aiken.unsupported(good) is None
    for question, reason in cases:
        assert aiken.unsupported(question) == reason
    assert aiken.dump([case[0] for case in cases] + [good]) == "Good?\nA. a\nB. b\nANSWER: B\n"


def test_dump_drops_what_aiken_has_no_place_for():
    question = single("Q?", ["a", "b"], 0, name="Named", explanation="why")
    question = Question(line=0, id="q1", tags=("t",), category="$course$/top/x", content=question.content)
    assert aiken.dump([question]) == "Q?\nA. a\nB. b\nANSWER: A\n"


def test_error_type_is_the_gift_one():
    (error,) = aiken.parse("Q?\nA) a\nB) b\nANSWER: X").errors
    assert isinstance(error, GiftError)
