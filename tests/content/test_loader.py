"""Loading and re-loading content: all or nothing, in place, retire-not-delete."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from studyapp.content.loader import load
from studyapp.content.models import Card, Note, SearchEntry
from studyapp.content.sync import sync_content
from studyapp.questions.models import Question, QuestionVersion
from tests.conftest import NOW

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def reload(root: Path, *, later: int = 1):
    result = load(root)
    assert result.ok, [str(p) for p in result.problems]
    return sync_content(result, now=NOW + timedelta(hours=later))


def snapshot() -> dict:
    return {
        "notes": list(Note.objects.values_list("pk", "slug", "checksum", "retired_at").order_by("pk")),
        "cards": list(Card.objects.values_list("pk", "source_key", "checksum", "retired_at").order_by("pk")),
        "questions": list(Question.objects.values_list("pk", "source_key", "current_version_id", "status").order_by("pk")),
        "versions": QuestionVersion.objects.count(),
        "search": SearchEntry.objects.count(),
    }


def test_first_load_creates_everything(demo_course):
    assert list(Note.objects.values_list("slug", flat=True)) == ["containers", "functions", "more-functions"]
    assert sorted(Card.objects.values_list("source_key", flat=True)) == [
        "demo-image",
        "demo-lambda-price",
        "demo-registry/c1",
        "demo-registry/c2",
    ]
    assert Question.objects.count() == 2
    assert SearchEntry.objects.filter(kind="card").count() == 3  # cloze siblings share one entry


def test_unchanged_reload_writes_nothing(demo_course, demo_root):
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        report = reload(demo_root)
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert report.summary() == "3 notes, 4 cards, 2 questions, 1 calculators (no changes)"
    assert snapshot() == before


def test_edit_updates_rows_in_place(demo_course, demo_root):
    card = Card.objects.get(source_key="demo-image")
    question = Question.objects.get(source_key="demo-q-fargate")
    note = demo_root / "demo" / "01-containers.md"
    text = note.read_text()
    text = text.replace("A read-only template from which containers start.", "A read-only, layered template.")
    text = text.replace("Which service runs containers", "Which AWS service runs containers")
    note.write_text(text)

    report = reload(demo_root)

    card.refresh_from_db()
    question.refresh_from_db()
    assert "layered template" in card.back_html  # same row, new text
    assert question.current_version.number == 2
    assert "Which AWS service" in question.current_version.data["stem"]
    assert question.versions.get(number=1).data["stem"].startswith("Which service")  # the old wording is kept
    assert report.changes["cards updated"] == 1 and report.changes["question versions added"] == 1


def test_removed_cards_and_questions_are_retired_not_deleted(demo_course, demo_root):
    note = demo_root / "demo" / "01-containers.md"
    text = note.read_text()
    start = text.index("```gift")
    note.write_text(text[:start] + text[text.index("```", start + 3) + 3 :])
    (demo_root / "demo" / "02-functions.md").write_text((demo_root / "demo" / "02-functions.md").read_text().split("```cards")[0])

    reload(demo_root)

    assert Question.objects.count() == 2 and Question.objects.published().count() == 0
    assert Card.objects.filter(source_key="demo-lambda-price", retired_at__isnull=False).exists()
    assert not SearchEntry.objects.filter(kind="question").exists()

    # ...and put back, they come back to life as the same rows
    pk = Question.objects.get(source_key="demo-q-fargate").pk
    (demo_root / "demo" / "01-containers.md").write_text(text)
    reload(demo_root, later=2)
    assert Question.objects.published().get(source_key="demo-q-fargate").pk == pk


def test_a_note_a_learner_read_survives_its_removal(demo_course, demo_root):
    from django.db.models import ProtectedError

    from studyapp.content.models import NoteRead
    from tests.factories import UserFactory

    read = NoteRead.objects.create(user=UserFactory(), note=Note.objects.get(slug="more-functions"), first_read_at=NOW)
    (demo_root / "demo" / "03-more-functions.md").unlink()
    reload(demo_root)
    read.refresh_from_db()
    assert read.note.retired_at is not None
    with pytest.raises(ProtectedError):
        read.note.delete()


def test_removed_note_is_retired_and_hidden(demo_course, demo_root, client):
    (demo_root / "demo" / "03-more-functions.md").unlink()
    reload(demo_root)
    assert Note.objects.get(slug="more-functions").retired_at is not None
    assert client.get("/courses/demo/more-functions/").status_code == 404


def test_a_broken_file_anywhere_changes_nothing(demo_course, demo_root):
    before = snapshot()
    (demo_root / "demo" / "01-containers.md").write_text(
        (demo_root / "demo" / "01-containers.md").read_text().replace("A read-only template", "A new text")
    )
    (demo_root / "demo" / "03-more-functions.md").write_text("---\ntitle: broken\n---\n")
    result = load(demo_root)
    assert not result.ok
    assert "demo/03-more-functions.md:1: missing key 'topic' in the front matter" in [str(p) for p in result.problems]
    with pytest.raises(ValueError):
        sync_content(result, now=NOW)
    assert snapshot() == before


def test_duplicate_ids_across_files_are_reported_with_both_places(demo_root):
    extra = demo_root / "demo" / "04-copy.md"
    extra.write_text((demo_root / "demo" / "02-functions.md").read_text().replace("order: 20", "order: 40"))
    problems = [str(p) for p in load(demo_root).problems]
    assert "demo/04-copy.md:17: card id 'demo-lambda-price' is already used at demo/02-functions.md:17" in problems


def test_duplicate_order_is_reported(demo_root):
    (demo_root / "demo" / "04-copy.md").write_text((demo_root / "demo" / "03-more-functions.md").read_text())
    problems = [str(p) for p in load(demo_root).problems]
    assert any("order '30' is already used" in p for p in problems)


def test_a_folder_without_course_toml_is_not_a_course(demo_root):
    (demo_root / "pricing").mkdir()
    (demo_root / "pricing" / "lambda.toml").write_text("region = 'us-east-1'\n")
    assert load(demo_root).ok


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("title = 'x'\nsummary = 'y'\n", "a course needs at least one [[topics]] entry"),
        (
            "title = 'x'\nsummary = 'y'\n[[topics]]\nslug = 'a'\ntitle = 'A'\n",
            "each [[topics]] entry needs exactly slug, title and summary",
        ),
        ("title = [\n", "not valid TOML"),
        ("title = 'x'\nsummary = 'y'\nowner = 'me'\n[[topics]]\nslug='a'\ntitle='A'\nsummary='s'\n", "unknown key 'owner'"),
    ],
)
def test_course_toml_problems(demo_root, toml, message):
    (demo_root / "demo" / "course.toml").write_text(toml)
    problems = [str(p) for p in load(demo_root).problems]
    assert any(p.startswith("demo/course.toml:") and message in p for p in problems), problems
