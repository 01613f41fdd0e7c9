"""Moving Question and QuestionVersion into the questions app loses nothing a learner made."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("content", "0004_question_option_count"), ("srs", "0001_initial"), ("quizzes", "0001_initial"), ("accounts", "0001_initial")]
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DATA = {
    "kind": "single",
    "name": "",
    "stem": "Which service runs containers without servers?",
    "stem_html": "<p>Which service?</p>",
    "options": [
        {"text": t, "html": t, "fraction": f, "feedback": "", "feedback_html": ""}
        for t, f in (("Fargate", "1"), ("EC2", "0"), ("Lightsail", "0"), ("Batch", "0"))
    ],
    "explanation": "Fargate.",
    "explanation_html": "<p>Fargate.</p>",
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_moving_questions_keeps_reviews_attempts_and_search():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Course, Topic, Note = (old.get_model("content", m) for m in ("Course", "Topic", "Note"))
    Question, Version = old.get_model("content", "Question"), old.get_model("content", "QuestionVersion")
    SearchEntry = old.get_model("content", "SearchEntry")
    learner = User.objects.create(username="ada", email="ada@example.com")
    course = Course.objects.create(slug="compute", title="Compute", summary="")
    topic = Topic.objects.create(course=course, slug="fargate", title="Fargate", summary="", position=1)
    note = Note.objects.create(
        course=course,
        topic=topic,
        slug="fargate",
        path="fargate.md",
        title="Fargate",
        order=1,
        updated=NOW.date(),
        body_html="",
        checksum="x",
    )
    questions = []
    for n, retired in ((1, None), (2, NOW)):
        q = Question.objects.create(
            course=course,
            note=note,
            topic=topic,
            source_key=f"q{n}",
            kind="single",
            domain="domain-3",
            tags=["fargate", "domain-3"],
            section_anchor="pricing",
            position=n,
            checksum="c",
            retired_at=retired,
            option_count=4,
        )
        v1 = Version.objects.create(question=q, number=1, data=DATA, checksum="v1", created_at=NOW)
        v2 = Version.objects.create(question=q, number=2, data=DATA | {"stem": "Reworded"}, checksum="v2", created_at=NOW)
        q.current_version = v2
        q.save()
        questions.append((q, v1, v2))
    SearchEntry.objects.create(course=course, note=note, kind="question", title="q1", body="Fargate", url="/courses/compute/fargate/#q-q1")
    state = old.get_model("srs", "ReviewState").objects.create(
        user=learner, question=questions[0][0], added_at=NOW, due=NOW, state="review", reps=3
    )
    Attempt = old.get_model("quizzes", "Attempt")
    attempt = Attempt.objects.create(user=learner, mode="mock", started_at=NOW, deadline=NOW + timedelta(minutes=90), finished_at=NOW)
    slot = old.get_model("quizzes", "AttemptQuestion").objects.create(
        attempt=attempt,
        position=1,
        question=questions[0][0],
        version=questions[0][1],
        option_order=[2, 0, 1, 3],
        selected=[2],
        fraction=1,
        answered_at=NOW,
    )

    new = migrate(latest())
    NewQuestion = new.get_model("questions", "Question")
    moved = NewQuestion.objects.get(pk=questions[0][0].pk)
    assert (moved.source_key, moved.status, moved.current_version_id) == ("q1", "published", questions[0][2].pk)
    assert moved.category == "$course$/top/compute/fargate"
    assert NewQuestion.objects.get(pk=questions[1][0].pk).status == "retired"
    assert new.get_model("questions", "QuestionVersion").objects.filter(question=moved).count() == 2
    placement = new.get_model("content", "QuestionPlacement").objects.get(question_id=moved.pk)
    assert (placement.course_id, placement.topic_id, placement.note_id, placement.section_anchor, placement.position) == (
        course.pk,
        topic.pk,
        note.pk,
        "pricing",
        1,
    )
    review = new.get_model("srs", "ReviewState").objects.get(pk=state.pk)
    assert (review.question_id, review.reps, review.state) == (moved.pk, 3, "review")
    kept = new.get_model("quizzes", "AttemptQuestion").objects.get(pk=slot.pk)
    assert (kept.version_id, kept.option_order, kept.selected) == (questions[0][1].pk, [2, 0, 1, 3], [2])  # the version it showed
    assert new.get_model("quizzes", "Attempt").objects.get(pk=attempt.pk).quiz.key == "mock"
    assert new.get_model("content", "SearchEntry").objects.get(kind="question").question_id == moved.pk
    if connection.vendor == "sqlite":  # the full-text index survived the table's rebuild
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM content_searchentry_fts WHERE content_searchentry_fts MATCH 'fargate'")
            assert cursor.fetchone()[0] == 1
