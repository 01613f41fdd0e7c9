"""What ``load_content --check`` refuses: everything a load would, each as ``path:line: message``.

Each case here crashed the command (a traceback and no line), passed ``--check`` and then crashed the
load, or took a minute to check, before the bounds of :mod:`studyapp.content.parsing.limits`.
"""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from studyapp.content.models import Card, Course, Note
from studyapp.content.parsing import limits
from studyapp.questions.models import Question

COURSE_TOML = """title = "Tiny"
summary = "A course for the tests."

[[topics]]
slug = "things"
title = "Things"
summary = "Some things."
"""
PROBLEM_LINE = re.compile(r"^tiny/[\w./-]+:\d+: \S")


def front(*, order: str = "1", title: str = "A note") -> str:
    return (
        f"---\ntitle: {title}\ntopic: things\norder: {order}\ndomains: [domain-1]\nupdated: 2026-11-20\n"
        "sources: [https://docs.aws.amazon.com/lambda/latest/dg/welcome.html]\n---\n"
    )


CARD = "```cards\n// [id:a-card]\nQ: What?\nA: That.\n```\n"


def course(tmp_path: Path, note: str, *, name: str = "01-note.md") -> Path:
    root = tmp_path / "content"
    (root / "tiny").mkdir(parents=True)
    (root / "tiny" / "course.toml").write_text(COURSE_TOML)
    (root / "tiny" / name).write_text(note)
    return root


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("load_content", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


def refused(root: Path, *, check: bool = True) -> list[str]:
    """The problem lines of a run that must fail; asserts nothing was written."""
    code, _, err = run(str(root), *(["--check"] if check else []))
    lines = err.splitlines()
    assert code == 1, err
    assert lines and lines[-1].endswith("nothing was changed."), err
    problems = lines[:-1]
    assert problems and all(PROBLEM_LINE.match(line) for line in problems), err
    assert not Course.objects.exists() and not Note.objects.exists() and not Card.objects.exists() and not Question.objects.exists()
    return problems


@pytest.mark.django_db
def test_a_cloze_number_of_thousands_of_digits_is_a_problem_not_a_crash(tmp_path):
    note = front() + "## Cards\n\n```cards\n// [id:huge]\nC: {{c" + "9" * 4400 + "::hidden}} text.\n```\n"
    [problem] = refused(course(tmp_path, note))
    assert problem.startswith("tiny/01-note.md:12: ") and "number" in problem


@pytest.mark.django_db
def test_a_list_nested_500_deep_is_a_problem_not_a_recursion_error(tmp_path):
    note = front() + "".join("    " * depth + "- item\n" for depth in range(500))
    problems = refused(course(tmp_path, note))
    assert problems[0].startswith(f"tiny/01-note.md:{9 + limits.MAX_NESTING}: nested more than {limits.MAX_NESTING} levels")
    assert len(problems) == limits.LISTED + 1 and problems[-1].endswith(
        f"and {500 - limits.MAX_NESTING - limits.LISTED} more lines from here on break these bounds"
    )


@pytest.mark.django_db
def test_list_markers_500_deep_on_one_line_are_a_problem(tmp_path):
    [problem] = refused(course(tmp_path, front() + "- " * 500 + "x\n"))
    assert problem.startswith("tiny/01-note.md:9: nested more than")


@pytest.mark.django_db
def test_a_card_field_nested_500_deep_is_a_problem(tmp_path):
    note = front() + "```cards\n// [id:deep]\nQ: " + "- " * 500 + "x\nA: y\n```\n"
    [problem] = refused(course(tmp_path, note))
    assert problem.startswith("tiny/01-note.md:11: nested more than")


@pytest.mark.django_db
def test_an_order_beyond_the_database_column_is_refused_by_check_and_by_load(tmp_path):
    root = course(tmp_path, front(order="99999999999999999999") + "Text.\n")
    [problem] = refused(root)
    assert problem.startswith("tiny/01-note.md:4: order must be between -2147483648 and 2147483647")
    assert refused(root, check=False) == [problem]  # the load itself reports it too, instead of an OverflowError


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("note", "line", "words"),
    [
        (front(title="T" * 201) + "Text.\n", 2, "title is 201 characters long; at most 200"),
        (front() + "```cards\n// [id:" + "c" * 201 + "]\nQ: What?\nA: That.\n```\n", 10, "card id"),
        (front() + "```cards\n// [id:cl]\nC: {{c1::x}}\n```\n".replace("cl", "c" * 198), 10, "card id is 201"),  # 198 + '/c1' is 201
        (
            front() + "```gift\n// [id:" + "q" * 201 + "] [tag:things] [tag:domain-1]\nIs it?{\n=A#a\n~B#b\n~C#c\n~D#d\n####Yes.\n}\n```\n",
            11,
            "question id",
        ),
        (
            front()
            + "```gift\n// [id:q1] [tag:things] [tag:domain-1]\n::"
            + "N" * 301
            + ":: Is it?{\n=A#a\n~B#b\n~C#c\n~D#d\n####Yes.\n}\n```\n",
            11,
            "question title",
        ),
        (front() + "## " + "H" * 301 + "\n\n" + CARD, 9, "heading"),
    ],
    ids=["note-title", "card-id", "cloze-id", "question-id", "question-title", "heading"],
)
def test_values_longer_than_their_database_column_are_refused(tmp_path, note, line, words):
    problems = refused(course(tmp_path, note))
    assert any(p.startswith(f"tiny/01-note.md:{line}: ") and words in p for p in problems), problems


@pytest.mark.django_db
def test_a_note_slug_longer_than_its_column_is_refused(tmp_path):
    [problem] = refused(course(tmp_path, front() + "Text.\n", name="01-" + "n" * 51 + ".md"))
    assert problem.startswith("tiny/01-" + "n" * 51 + ".md:1: ") and "at most 50" in problem


@pytest.mark.django_db
def test_a_topic_slug_longer_than_its_column_is_refused(tmp_path):
    root = course(tmp_path, front() + "Text.\n")
    toml = root / "tiny" / "course.toml"
    toml.write_text(COURSE_TOML + '\n[[topics]]\nslug = "' + "s" * 51 + '"\ntitle = "Long"\nsummary = "Long."\n')
    [problem] = refused(root)
    assert problem.startswith("tiny/course.toml:") and "topic slug" in problem and "at most 50" in problem


@pytest.mark.django_db
def test_a_line_over_the_bound_is_reported_without_rendering_it(tmp_path):
    """The 60 kB line of ``<a `` took 58 s to check; it is now refused by its length (bench/content_check.py times it)."""
    [problem] = refused(course(tmp_path, front() + "<a " * 20_000 + "\n"))
    assert problem == f"tiny/01-note.md:9: the line is 60,000 characters long; at most {limits.MAX_LINE_CHARS:,}"


@pytest.mark.django_db
def test_a_file_over_the_bound_is_reported_without_reading_it(tmp_path):
    note = front() + ("Some words in a paragraph.\n\n" * (limits.MAX_FILE_BYTES // 28 + 1))
    [problem] = refused(course(tmp_path, note))
    assert problem.startswith("tiny/01-note.md:1: the file is ") and "at most 1,000,000 bytes" in problem


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("Text <a href='x' and no end\n", "not closed by '>'"),
        ("<![ \n" * 3, "not closed by"),
        ("A [link that never closes\n", "not closed by ']'"),
        ("<span " + "x" * limits.MAX_TAG_CHARS + ">\n", "characters long; at most 1,000"),
        ("[" * 40 + "a" + "]" * 40 + "\n", "nest 40 deep"),
    ],
    ids=["unclosed-tag", "marked-section", "unclosed-bracket", "long-tag", "deep-brackets"],
)
def test_markdown_the_renderer_would_scan_quadratically_is_refused(tmp_path, body, words):
    problems = refused(course(tmp_path, front() + body))
    assert problems[0].startswith("tiny/01-note.md:9: ") and words in problems[0], problems


@pytest.mark.django_db
def test_code_blocks_are_not_read_as_markdown(tmp_path):
    note = front() + "```bash\ncat <<EOF\nif [ -f x\n```\n\nText.\n"
    code, _out, err = run(str(course(tmp_path, note)), "--check")
    assert code == 0, err


@pytest.mark.parametrize(
    ("line", "blocked"),
    [
        ('<div style="color: red">', True),
        ("<a onclick=go()>x</a>", True),
        ("<script>", True),
        ('<a href="x">style = none</a>', False),
        ('<svg class="svg-box" role="img">', False),
        ("<a " * 20_000, False),
    ],
)
def test_blocked_html_is_found_in_one_pass(line, blocked):
    assert limits.blocked_html(line) is blocked
