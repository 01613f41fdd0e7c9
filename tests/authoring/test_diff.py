"""The word-level diff between two versions: table tests, no database."""

from decimal import Decimal

import pytest

from studyapp.authoring.diff import FieldDiff, Op, Segment, compare, percent, words
from studyapp.questions.content import Choice, Kind, MatchPair, NumericalAnswer, QuestionContent

EQ, INS, DEL = Op.EQUAL, Op.INSERT, Op.DELETE


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("same words", "same words", [(EQ, "same words")]),
        ("", "", []),
        ("", "new text", [(INS, "new text")]),
        ("old text", "", [(DEL, "old text")]),
        ("The quick fox", "The slow fox", [(EQ, "The "), (DEL, "quick"), (INS, "slow"), (EQ, " fox")]),
        ("Pick one.", "Pick one!", [(EQ, "Pick one"), (DEL, "."), (INS, "!")]),
        ("a b c", "a c", [(EQ, "a "), (DEL, "b "), (EQ, "c")]),
        ("a c", "a b c", [(EQ, "a "), (INS, "b "), (EQ, "c")]),
        ("Lambda runs code", "AWS Lambda runs your code", [(INS, "AWS "), (EQ, "Lambda runs "), (INS, "your "), (EQ, "code")]),
        ("<b>bold</b>", "<i>bold</i>", [(EQ, "<"), (DEL, "b"), (INS, "i"), (EQ, ">bold</"), (DEL, "b"), (INS, "i"), (EQ, ">")]),
        ("naïve café", "naïve cafés", [(EQ, "naïve "), (DEL, "café"), (INS, "cafés")]),
    ],
)
def test_words_gives_typed_segments(old, new, expected):
    assert [(s.op, s.text) for s in words(old, new)] == expected


@pytest.mark.parametrize(("old", "new"), [("one two three", "one 2 three four"), ("", "x"), ("line\nbreak", "line break"), ("a  b", "a b")])
def test_words_rebuild_both_texts(old, new):
    segments = words(old, new)
    assert "".join(s.text for s in segments if s.op is not INS) == old
    assert "".join(s.text for s in segments if s.op is not DEL) == new


@pytest.mark.parametrize(
    ("fraction", "text"),
    [
        (Decimal(1), "100 %"),
        (Decimal("0.5"), "50 %"),
        (Decimal("-0.25"), "-25 %"),
        (Decimal(0), "0 %"),
        (Decimal("0.3333333"), "33.33333 %"),
    ],
)
def test_percent(fraction, text):
    assert percent(fraction) == text


def mc(stem: str, *options: tuple[str, str, str], explanation: str = "") -> QuestionContent:
    return QuestionContent(
        kind=Kind.SINGLE,
        stem=stem,
        choices=tuple(Choice(text=t, fraction=Decimal(f), feedback=fb) for t, f, fb in options),
        explanation=explanation,
    )


def changed(diffs: tuple[FieldDiff, ...]) -> dict[str, list[tuple[Op, str]]]:
    return {d.label: [(s.op, s.text) for s in d.segments] for d in diffs if d.changed}


def test_compare_names_each_changed_field_of_the_options():
    old = mc("Which service?", ("Lambda", "1", "Right"), ("EC2", "0", "Servers"), explanation="Lambda is serverless.")
    new = mc("Which service runs code?", ("Lambda", "1", "Right"), ("EC2", "0.5", "Virtual servers"), explanation="Lambda is serverless.")
    assert changed(compare(old, new)) == {
        "Stem": [(EQ, "Which service"), (INS, " runs code"), (EQ, "?")],
        "Option 2: fraction": [(DEL, "0"), (INS, "50"), (EQ, " %")],
        "Option 2: feedback": [(DEL, "Servers"), (INS, "Virtual servers")],
    }


def test_compare_unchanged_content_has_no_change():
    content = mc("Q?", ("a", "1", ""), ("b", "0", ""))
    diffs = compare(content, content)
    assert diffs and not any(d.changed for d in diffs)
    assert [d.label for d in diffs] == ["Kind", "Stem", "Option 1: text", "Option 1: fraction", "Option 2: text", "Option 2: fraction"]


def test_an_option_added_is_all_inserted_and_one_removed_all_deleted():
    two = mc("Q?", ("a", "1", ""), ("b", "0", ""))
    three = mc("Q?", ("a", "1", ""), ("b", "0", ""), ("c", "0", "why not"))
    assert changed(compare(two, three)) == {
        "Option 3: text": [(INS, "c")],
        "Option 3: fraction": [(INS, "0 %")],
        "Option 3: feedback": [(INS, "why not")],
    }
    assert changed(compare(three, two))["Option 3: text"] == [(DEL, "c")]


def test_compare_numerical_answers_and_matching_pairs():
    old = QuestionContent(
        kind=Kind.NUMERICAL, stem="How many?", numerical=(NumericalAnswer(value=Decimal(3), tolerance=Decimal(0), fraction=Decimal(1)),)
    )
    new = QuestionContent(
        kind=Kind.NUMERICAL, stem="How many?", numerical=(NumericalAnswer(value=Decimal(3), tolerance=Decimal("0.5"), fraction=Decimal(1)),)
    )
    assert changed(compare(old, new)) == {"Answer 1: tolerance": [(EQ, "0"), (INS, ".5")]}
    pairs_old = QuestionContent(
        kind=Kind.MATCHING, stem="Match", pairs=(MatchPair(question="S3", answer="storage"), MatchPair(question="EC2", answer="compute"))
    )
    pairs_new = QuestionContent(
        kind=Kind.MATCHING,
        stem="Match",
        pairs=(MatchPair(question="S3", answer="object storage"), MatchPair(question="EC2", answer="compute")),
    )
    assert changed(compare(pairs_old, pairs_new)) == {"Pair 1: answer": [(INS, "object "), (EQ, "storage")]}


def test_segments_are_plain_text_for_the_template_to_escape():
    diffs = compare(
        mc("<script>alert(1)</script>", ("a", "1", ""), ("b", "0", "")), mc("<img src=x onerror=alert(1)>", ("a", "1", ""), ("b", "0", ""))
    )
    stem = next(d for d in diffs if d.label == "Stem")
    assert all(isinstance(s, Segment) for s in stem.segments)
    assert "".join(s.text for s in stem.segments if s.op is not DEL) == "<img src=x onerror=alert(1)>"
