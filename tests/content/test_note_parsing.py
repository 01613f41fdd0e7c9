"""A note in, the parsed structure out: golden files, then one test per kind of problem."""

import json
import os
from dataclasses import asdict
from pathlib import Path

import pytest

from studyapp.content.parsing.note import parse_note

GOLDEN = Path(__file__).parent / "golden"
FIXTURE = Path(__file__).parent / "fixtures" / "demo" / "demo"
TOPICS = frozenset({"containers", "functions"})


def structure(note) -> dict:
    data = asdict(note)
    data["meta"]["updated"] = note.meta.updated.isoformat()
    data["meta"].pop("lines")
    for question, parsed in zip(data["questions"], note.questions, strict=True):
        del question["content"]
        question["data"] = parsed.content.to_json()  # the stored form, which the golden files have always shown
    return data


@pytest.mark.parametrize(
    "source",
    [GOLDEN / "edge-cases.md", FIXTURE / "01-containers.md"],
    ids=lambda p: p.stem,
)
def test_golden(source: Path):
    note, problems = parse_note(source.read_text(), path=source.name, topics=TOPICS)
    assert problems == []
    golden = GOLDEN / f"{source.stem}.json"
    actual = json.dumps(structure(note), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(actual)
    assert actual == golden.read_text(), f"{golden.name} differs: rerun with UPDATE_GOLDEN=1 if the change is intended"


def test_edge_cases_parse_as_a_learner_would_read_them():
    note, _ = parse_note((GOLDEN / "edge-cases.md").read_text(), path="edge-cases.md", topics=TOPICS)
    assert note.summary == "The first paragraph becomes the summary."
    assert [c.key for c in note.cards] == ["edge-multiline", "edge-cloze/c1", "edge-cloze/c2"]
    multiline = note.cards[0]
    assert "continues on a second line" in multiline.front_html
    assert "&lt;b&gt;raw HTML" in multiline.back_html  # card text is never trusted HTML
    assert multiline.section.title == "A sub-section"
    c1, c2 = note.cards[1], note.cards[2]
    assert "[a service]" in c1.front_html and "1 ms" in c1.front_html  # c2's text shows on c1's front
    assert c1.front_html.count("cloze-hidden") == 2  # both c1 deletions hidden
    assert "[…]" in c2.front_html and "Lambda" in c2.front_html
    assert [q.key for q in note.questions] == ["edge-escapes", "edge-tf"]
    options = [o.text for o in note.questions[0].content.choices]
    assert options == ["a = b", "a -> b", "a : b", "a # b"]
    assert note.questions[1].kind == "truefalse"
    anchors = [t.anchor for t in note.toc]
    assert len(set(anchors)) == len(anchors) == 3
    assert note.questions[0].section.anchor == anchors[2]
    assert note.calculators == ("lambda",)
    assert "this is a code sample" in note.body_html  # a fenced sample is not a question block


def note_text(body: str, **front: str) -> str:
    meta = {
        "title": "T",
        "topic": "functions",
        "order": "1",
        "domains": "[domain-3]",
        "updated": "2026-11-25",
        "sources": "[https://aws.amazon.com/lambda/]",
    } | front
    head = "".join(f"{k}: {v}\n" for k, v in meta.items())
    return f"---\n{head}---\n{body}"


# The body starts on line 9 (7 front matter lines + two '---').
CARD = "// [id:c-one]\nQ: front\nA: back\n"
QUESTION_HEAD = "// [id:q-one] [tag:functions] [tag:domain-3]\n"
GOOD_OPTIONS = "=right#r\n~w1#x\n~w2#x\n~w3#x\n####why\n"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("# Title\n", 9, "a level-1 heading"),
        ("```cards\n" + CARD, 9, "the ```cards block is never closed"),
        ("```python\nx = 1\n", 10, "a code block is never closed"),
        (":::calculator ec2\n", 9, "unknown calculator 'ec2'"),
        ("```cards\nQ: front\nA: back\n```\n", 10, "a card must start with a line '// [id:card-id]'"),
        ("```cards\n// [id:Bad_Id]\nQ: f\nA: b\n```\n", 10, "card id 'Bad_Id' must use lower-case"),
        ("```cards\n// [id:c-one]\nQ: only a front\n```\n", 10, "card 'c-one' needs a 'Q:' (front) and an 'A:' (back)"),
        ("```cards\n// [id:c-one]\nQ: f\nA: b\nX: extra\n```\n", 10, "mixes Q:/A: with C:/X:"),
        ("```cards\n// [id:c-one]\nC: no deletion here\n```\n", 10, "needs at least one {{c1::hidden text}}"),
        ("```cards\n// [id:c-one]\nQ: f\nQ: again\nA: b\n```\n", 12, "has two 'Q:' lines"),
        ("```cards\n// [id:c-one]\nZ: what\n```\n", 11, "expected 'Q:', 'A:', 'C:' or 'X:'"),
        ("```gift\nWhat?{" + GOOD_OPTIONS + "}\n```\n", 10, "a question needs a stable id"),
        ("```gift\n// [id:q-one] [tag:functions]\nWhat?{" + GOOD_OPTIONS + "}\n```\n", 11, "needs exactly one exam domain tag"),
        ("```gift\n// [id:q-one] [tag:domain-3]\nWhat?{" + GOOD_OPTIONS + "}\n```\n", 11, "needs a topic tag"),
        ("```gift\n" + QUESTION_HEAD + "What?{=right\n~w1\n~w2\n~w3\n}\n```\n", 11, "needs an explanation"),
        ("```gift\n" + QUESTION_HEAD + "What?{=right\n~w1\n~w2\n####why}\n```\n", 11, "needs exactly 4 options"),
        (
            "```gift\n" + QUESTION_HEAD + "Pick two (Select TWO.){~%50%a\n~%50%b\n~%-100%c\n~%-100%d\n####why}\n```\n",
            11,
            "needs 5 or more options",
        ),
        ("```gift\n" + QUESTION_HEAD + "Pick{~%50%a\n~%50%b\n~%-100%c\n~%-100%d\n~%-100%e\n####why}\n```\n", 11, "say '(Select TWO.)'"),
        ("```gift\n" + QUESTION_HEAD + "Essay?{}\n```\n", 11, "the course uses multiple choice"),
        ("```gift\n" + QUESTION_HEAD + "Broken?{=a ~b\n```\n", 11, "brace"),
        ('<svg viewBox="0 0 1 1"><rect style="fill:red"/></svg>\n', 9, "blocked by the Content Security Policy"),
        ("<script>alert(1)</script>\n", 9, "blocked by the Content Security Policy"),
        ('<p onclick="x()">hi</p>\n', 9, "blocked by the Content Security Policy"),
    ],
)
def test_each_problem_names_its_line(body, line, message):
    note, problems = parse_note(note_text(body), path="n.md", topics=TOPICS)
    assert note is None
    assert any(p.line == line and message in p.message for p in problems), [str(p) for p in problems]
    assert all(str(p).startswith("n.md:") for p in problems)


def test_unknown_topic_points_at_the_topic_line():
    _, problems = parse_note(note_text("Body.\n", topic="databases"), path="n.md", topics=TOPICS)
    assert [str(p) for p in problems] == ["n.md:3: unknown topic 'databases': declare it in course.toml (known: containers, functions)"]


def test_every_problem_in_a_note_is_reported_not_just_the_first():
    body = "# Title\n:::calculator nope\n```cards\n// [id:x]\nQ: only\n```\n"
    _, problems = parse_note(note_text(body, order="x"), path="n.md", topics=TOPICS)
    assert len(problems) >= 4


def test_the_example_note_in_the_docs_parses():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "content-format.md").read_text()
    block = docs.split("<!-- example-note:start -->")[1].split("<!-- example-note:end -->")[0]
    text = block.strip().removeprefix("````markdown").removesuffix("````").strip() + "\n"
    note, problems = parse_note(text, path="example.md", topics=frozenset({"ecr"}))
    assert problems == [], [str(p) for p in problems]
    assert [c.key for c in note.cards] == ["ecr-example-purpose", "ecr-example-public/c1", "ecr-example-public/c2"]
    assert note.questions[0].kind == "multiple" and note.calculators == ("ecr",)


def test_a_heading_inside_an_admonition_does_not_shift_anchors():
    body = "!!! note\n    ## Inside\n    text\n\n## Real heading\n\n```cards\n// [id:c-one]\nQ: front\nA: back\n```\n"
    note, problems = parse_note(note_text(body), path="n.md", topics=TOPICS)
    assert problems == []
    assert note.cards[0].section.anchor == "real-heading"
    assert [t.anchor for t in note.toc] == ["inside", "real-heading"]


def test_card_front_markup_stays_escaped_in_the_note():
    body = "```cards\n// [id:c-one]\nQ: > <img src=x onerror=alert(1)> is a < b?\nA: back\n```\n"
    note, _ = parse_note(note_text(body), path="n.md", topics=TOPICS)
    assert "<img" not in note.body_html and "&lt;img" in note.body_html


def test_summary_is_the_first_real_paragraph():
    body = "```cards\n// [id:c-one]\nQ: front\nA: back\n```\n\nThe real first paragraph.\n"
    note, _ = parse_note(note_text(body), path="n.md", topics=TOPICS)
    assert note.summary == "The real first paragraph."


def test_a_file_name_that_is_not_a_slug_is_a_problem():
    _, problems = parse_note(note_text("Body.\n"), path="03-more.functions.md", topics=TOPICS)
    assert [p.line for p in problems] == [1] and "note address" in problems[0].message


def _keyed_first(note) -> list[bool]:
    """For each "check yourself" question of a parsed note: is the first option shown a right one?"""
    import re

    reviews = re.findall(r'<ol class="question-review" type="A">(.*?)</ol>', note.body_html, re.S)
    return [review.startswith('<li class="is-correct">') for review in reviews]


def test_check_yourself_options_are_shuffled_stably_per_question():
    from studyapp.content.loader import load

    course = load(Path(__file__).resolve().parents[2] / "content").courses[0]
    choice_questions = [q for note in course.notes for q in note.questions if q.kind != "truefalse"]
    keyed_first = [first for note in course.notes for first in _keyed_first(note)]
    assert len(keyed_first) == sum(len(note.questions) for note in course.notes)
    assert sum(keyed_first) < 0.5 * len(choice_questions), "the right answer is no longer always listed first"
    again = load(Path(__file__).resolve().parents[2] / "content").courses[0]
    assert [n.body_html for n in again.notes] == [n.body_html for n in course.notes]  # stable from one load to the next


def test_shuffling_leaves_the_stored_question_content_in_written_order():
    note, _ = parse_note((GOLDEN / "edge-cases.md").read_text(), path="edge-cases.md", topics=TOPICS)
    assert [o.text for o in note.questions[0].content.choices] == ["a = b", "a -> b", "a : b", "a # b"]


def test_a_question_is_searched_by_its_stem_not_its_options():
    note, _ = parse_note((FIXTURE / "01-containers.md").read_text(), path="01-containers.md", topics=TOPICS)
    for question in note.questions:
        assert question.text.startswith(question.content.stem.split()[0])
        for choice in question.content.choices:
            assert choice.text not in question.text or choice.text in question.content.stem


def test_a_beyond_exam_question_is_badged_in_its_note_and_others_are_not():
    body = "```gift\n" + QUESTION_HEAD.replace("]\n", "] [tag:beyond-exam]\n") + "What?{" + GOOD_OPTIONS + "}\n\n"
    body += QUESTION_HEAD.replace("q-one", "q-two") + "And?{" + GOOD_OPTIONS + "}\n```\n"
    note, problems = parse_note(note_text(body), path="n.md", topics=TOPICS)
    assert problems == [], [str(p) for p in problems]
    beyond, exam = note.body_html.split('<article class="note-question" id="q-')[1:]
    assert beyond.startswith("q-one") and 'Check yourself <span class="mark-tag beyond-exam-tag">Beyond the exam</span>' in beyond
    assert exam.startswith("q-two") and "Beyond the exam" not in exam
