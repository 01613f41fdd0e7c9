"""The one writer of the bank: versions numbered without gaps or repeats, status changes, and
drafts that no learner-facing reader can see."""

import random
import threading
import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from studyapp.content import search
from studyapp.content.models import QuestionPlacement, SearchEntry, SearchKind, Topic
from studyapp.content.queries import course_outline
from studyapp.questions import services
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import Question, Status
from studyapp.quizzes import services as quizzes
from studyapp.srs import queue
from studyapp.srs import services as srs
from tests.conftest import NOW
from tests.factories import UserFactory


def content(stem: str = "Which service runs containers without managing servers?") -> QuestionContent:
    choices = tuple(
        Choice(text=text, html=text, fraction=Decimal(right))
        for text, right in (("AWS Fargate", 1), ("Amazon EC2", 0), ("Amazon Lightsail", 0), ("AWS Batch", 0))
    )
    return QuestionContent(
        kind=Kind.SINGLE, stem=stem, stem_html=f"<p>{stem}</p>", choices=choices, explanation="Fargate.", explanation_html="<p>Fargate.</p>"
    )


@pytest.fixture
def author(db):
    return UserFactory(username="author")


def test_create_questions_writes_each_as_create_question_would(author):
    items = [
        services.NewQuestion(content=content(f"Question {n}?"), source_key=f"q{n}", category="$course$/top/A", tags=["x"]) for n in range(3)
    ]
    made = services.create_questions(items=items, by=author, now=NOW)
    assert [(q.source_key, q.status, q.author, q.tags, q.kind, q.option_count) for q in Question.objects.order_by("id")] == [
        (f"q{n}", Status.DRAFT, author, ["x"], Kind.SINGLE, 4) for n in range(3)
    ]
    assert [q.content.stem for q in made] == ["Question 0?", "Question 1?", "Question 2?"]
    assert all(
        q.current_version.number == 1 and q.current_version.created_at == NOW for q in Question.objects.select_related("current_version")
    )


def test_create_questions_is_all_or_nothing(author):
    services.create_question(content=content(), by=author, now=NOW, source_key="taken", category="$course$/top/A")
    items = [services.NewQuestion(content=content(), source_key=key, category="$course$/top/A") for key in ("new", "taken")]
    with pytest.raises(IntegrityError):
        services.create_questions(items=items, by=author, now=NOW)
    assert list(Question.objects.values_list("source_key", flat=True)) == ["taken"]


def test_add_versions_numbers_each_question_and_skips_unchanged_ones(author):
    first = services.create_question(content=content("One?"), by=author, now=NOW)
    second = services.create_question(content=content("Two?"), by=author, now=NOW)
    services.add_version(question=second, content=content("Two, again?"), by=author, now=NOW)
    versions = services.add_versions(changes=[(first, content("One, changed?")), (second, content("Two, again?"))], by=author, now=NOW)
    assert [(v.question_id, v.number) for v in versions] == [(first.pk, 2), (second.pk, 2)]
    first.refresh_from_db()
    assert first.content.stem == "One, changed?" and first.versions.count() == 2
    assert second.versions.count() == 2  # unchanged: nothing written
    with pytest.raises(ValueError, match="once"):
        services.add_versions(changes=[(first, content("a")), (first, content("b"))], by=author, now=NOW)


def test_a_new_question_is_a_draft_with_version_one(author):
    question = services.create_question(content=content(), by=author, now=NOW, source_key="fargate-1", domain="domain-3")
    assert (question.status, question.author, question.current_version.number) == (Status.DRAFT, author, 1)
    assert question.current_version.created_by == author
    assert question.content == content()
    assert (question.kind, question.option_count) == ("single", 4)


def test_versions_count_up_and_an_unchanged_wording_adds_none(author):
    question = services.create_question(content=content(), by=author, now=NOW)
    second = services.add_version(question=question, content=content("Reworded?"), by=author, now=NOW)
    again = services.add_version(question=question, content=content("Reworded?"), by=author, now=NOW)
    assert (second.number, again.pk) == (2, second.pk)
    assert list(question.versions.values_list("number", flat=True)) == [1, 2]
    question.refresh_from_db()
    assert question.current_version == second and question.content.stem == "Reworded?"


def test_a_gap_in_the_numbers_is_not_reused(author):
    """Numbering is Max + 1, not count + 1: a version removed by hand never gets its number twice."""
    question = services.create_question(content=content(), by=author, now=NOW)
    services.add_version(question=question, content=content("two"), by=author, now=NOW)
    services.add_version(question=question, content=content("three"), by=author, now=NOW)
    question.versions.filter(number=2).delete()
    assert services.add_version(question=question, content=content("four"), by=author, now=NOW).number == 4


def test_publish_and_retire(author):
    question = services.create_question(content=content(), by=author, now=NOW)
    services.publish(question=question)
    assert Question.objects.published().get() == question
    services.retire(question=question)
    assert not Question.objects.published().exists()
    assert Question.objects.get().status == Status.RETIRED and Question.objects.get().versions.count() == 1  # nothing deleted


def test_a_question_without_a_version_cannot_be_published(author):
    question = Question.objects.create(kind="single")
    with pytest.raises(services.NotPublishable):
        services.publish(question=question)
    assert Question.objects.get().status == Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_get_two_numbers(author):
    """Real concurrency (two threads, two connections): each new wording gets its own number."""
    question = services.create_question(content=content(), by=author, now=NOW)
    barrier, errors = threading.Barrier(2), []

    def editor(stem: str) -> None:
        try:
            barrier.wait()
            services.add_version(question=Question.objects.get(pk=question.pk), content=content(stem), by=author, now=NOW)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=editor, args=(stem,)) for stem in ("first edit", "second edit")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(question.versions.values_list("number", flat=True)) == [1, 2, 3]
    question.refresh_from_db()
    assert question.current_version.number == 3


@pytest.fixture
def draft(demo_course, author):
    """A draft in the demo course's first topic, with a search entry as the notes' questions have."""
    topic = Topic.objects.filter(course=demo_course).first()
    question = services.create_question(
        content=content("Drafted zebra question?"), by=author, now=NOW, domain="domain-3", source_key="draft-1"
    )
    QuestionPlacement.objects.create(question=question, course=demo_course, topic=topic, position=99)
    SearchEntry.objects.create(
        course=demo_course, question=question, kind=SearchKind.QUESTION, title="Drafted zebra", body="Drafted zebra question", url=""
    )
    return question


def test_drafts_reach_no_reader(draft, demo_course):
    learner = UserFactory()
    published = set(Question.objects.published().values_list("pk", flat=True))
    assert draft.pk not in published and published
    # practice and mock draws
    pool = quizzes.practice_pool(learner, quizzes.PracticeChoice(count=65))
    assert draft.pk not in set(pool.values_list("pk", flat=True)) and pool.exists()
    assert draft.pk not in {item.id for item in quizzes.bank_items()}
    attempt = quizzes.start_practice(user=learner, choice=quizzes.PracticeChoice(count=65), now=NOW, rng=random.Random(1))
    assert draft.pk not in set(attempt.slots.values_list("question_id", flat=True))
    assert draft.pk not in set(
        quizzes.start_questions(user=learner, question_ids=[*published, draft.pk], now=NOW, rng=random.Random(1)).slots.values_list(
            "question_id", flat=True
        )
    )
    # search
    assert search.search("zebra").hits == ()
    # the review queue: a draft that somehow got there is neither shown nor reviewable
    srs.enqueue_question(user=learner, question=draft, now=NOW)
    following = queue.next_item(learner, now=NOW)
    assert following is None or following.question != draft  # a due missed question would come first
    assert queue.counts(learner, now=NOW).learning == 0
    with pytest.raises(srs.ItemNotFound):
        srs.record_review(user=learner, kind="question", item_id=draft.pk, revision=0, rating=3, now=NOW)
    # the course home's counts
    counts = {row.topic.pk: row.questions for row in course_outline(demo_course, None)}
    assert (
        counts[draft.placement.topic_id]
        == QuestionPlacement.objects.filter(topic=draft.placement.topic, question__status=Status.PUBLISHED).count()
    )


def test_a_published_draft_reaches_them(draft):
    services.publish(question=draft)
    assert [hit.title for hit in search.search("zebra").hits] == ["Drafted zebra"]
    assert draft.pk in {item.id for item in quizzes.bank_items()}


@pytest.mark.django_db(transaction=True)
def test_two_writers_saving_the_same_wording_add_one_version(author):
    """A double submit from two tabs: the second writer waits on the first one's lock, then finds
    its wording already current and writes nothing."""
    question = services.create_question(content=content(), by=author, now=NOW)
    locked, errors = threading.Event(), []

    def first() -> None:
        try:
            with transaction.atomic():
                Question.objects.select_for_update().get(pk=question.pk)  # hold the row while the second writer arrives
                locked.set()
                time.sleep(0.5)
                services.add_version(question=Question.objects.get(pk=question.pk), content=content("the same edit"), by=author, now=NOW)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    def second() -> None:
        try:
            locked.wait()
            services.add_version(question=Question.objects.get(pk=question.pk), content=content("the same edit"), by=author, now=NOW)
        except Exception as error:
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(question.versions.values_list("number", flat=True)) == [1, 2]
