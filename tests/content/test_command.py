"""``manage.py load_content`` as an author runs it."""

import hashlib
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from studyapp.content.models import Card, Note

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("load_content", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = int(exit.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_prints_a_summary_line(demo_root):
    code, out, _ = run(str(demo_root))
    assert code == 0
    assert out.startswith("3 notes, 4 cards, 2 questions, 1 calculators (")
    assert run(str(demo_root))[1] == "3 notes, 4 cards, 2 questions, 1 calculators (no changes)\n"


@pytest.mark.django_db
def test_check_validates_and_writes_nothing(demo_root):
    code, out, _ = run(str(demo_root), "--check")
    assert code == 0 and "checked; nothing written" in out
    assert not Note.objects.exists()


@pytest.mark.django_db
def test_reports_every_problem_with_path_and_line_then_changes_nothing(demo_root):
    run(str(demo_root))
    cards = list(Card.objects.values_list("source_key", "back_html"))
    (demo_root / "demo" / "01-containers.md").write_text(
        (demo_root / "demo" / "01-containers.md").read_text().replace("order: 10", "order: ten").replace("A read-only template", "Changed")
    )
    (demo_root / "demo" / "02-functions.md").write_text(
        (demo_root / "demo" / "02-functions.md").read_text().replace(":::calculator lambda", ":::calculator ec2")
    )
    code, _out, err = run(str(demo_root))
    assert code == 1
    assert err.splitlines() == [
        "demo/01-containers.md:4: order must be a whole number, got 'ten'",
        "demo/02-functions.md:14: unknown calculator 'ec2' (use one of: lambda, fargate, api_gateway, ecr, batch, lightsail)",
        "2 problems found; nothing was changed.",
    ]
    assert list(Card.objects.values_list("source_key", "back_html")) == cards


@pytest.mark.django_db
def test_missing_folder_is_a_clear_error(tmp_path):
    code, _, err = run(str(tmp_path / "nowhere"))
    assert code == 1 and "no such folder" in err


def test_the_course_in_the_repository_loads_without_problems():
    from studyapp.content.loader import load

    result = load(ROOT / "content")
    assert result.ok, "\n".join(map(str, result.problems))
    course = result.courses[0]
    topics = {note.meta.topic for note in course.notes}
    assert topics == {t.slug for t in course.info.topics}  # every topic has a note
    assert {name for note in course.notes for name in note.calculators} == {"lambda", "fargate", "api_gateway", "ecr", "batch", "lightsail"}
    cards = [card for note in course.notes for card in note.cards]
    assert len({card.key.split("/")[0] for card in cards}) >= 150  # written cards (cloze siblings once)
    assert {card.kind for card in cards} == {"basic", "cloze"}
    assert all(card.section.anchor for card in cards), "every card sits under a heading it can link to"
    for note in course.notes:  # every topic has cards and questions of its own
        assert note.cards and note.questions, note.path
    questions = [q for note in course.notes for q in note.questions]
    assert len(questions) >= 200
    assert sum(q.kind == "multiple" for q in questions) >= 0.25 * len(questions)
    assert {q.domain for q in questions} == {"domain-1", "domain-2", "domain-3", "domain-4"}
    assert all(o.feedback for q in questions for o in q.content.choices), "every option says why"


def test_unchanged_reload_leaves_the_database_file_byte_identical(tmp_path):
    """The real command against a file database: load, then load again, and compare the bytes."""
    db = tmp_path / "study.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}} | {"DATABASE_URL": f"sqlite:///{db}"}

    def manage(*args: str) -> str:
        result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def digest() -> str:
        with sqlite3.connect(db) as connection:  # fold the write-ahead log into the file first
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        return hashlib.sha256(db.read_bytes()).hexdigest()

    manage("migrate", "--noinput", "-v0")
    first = manage("load_content")
    assert "notes added" in first
    before = digest()
    assert "(no changes)" in manage("load_content")
    assert digest() == before
