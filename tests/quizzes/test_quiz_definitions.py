"""Quiz definitions: the built-in mock keeps each attempt on the format it started under; practice
is an unsaved quiz; questions_for() draws what a quiz allows; results and retries stay whole when
the bank changes under them."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest

from studyapp.content.models import Topic
from studyapp.questions import services as bank
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import Question, Status
from studyapp.quizzes import reports, services
from studyapp.quizzes.models import Attempt, Quiz, Selection
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def single(stem: str) -> QuestionContent:
    choices = tuple(Choice(text=t, html=t, fraction=Decimal(f)) for t, f in (("a", 1), ("b", 0), ("c", 0), ("d", 0)))
    return QuestionContent(kind=Kind.SINGLE, stem=stem, stem_html=stem, choices=choices, explanation="x", explanation_html="x")


def test_changing_the_mock_format_leaves_attempts_under_way_on_theirs(demo_course, settings):
    learner = UserFactory()
    running = services.start_mock(user=learner, now=NOW, rng=random.Random(1))
    settings.STUDYAPP_MOCK = {"minutes": 1, "grace_seconds": 0}
    later = services.start_mock(user=UserFactory(), now=NOW, rng=random.Random(1))
    running.refresh_from_db()
    assert (services.grace(running), services.grace(later)) == (timedelta(seconds=10), timedelta(0))
    assert running.quiz != later.quiz and later.quiz == services.mock_quiz()
    assert Quiz.objects.filter(key="mock").count() == 1
    # the running attempt still takes an answer inside its own grace, 5 s after its deadline
    slot = services.save_answer(user=learner, attempt_id=running.pk, position=1, shown=[0], now=running.deadline + timedelta(seconds=5))
    assert slot.answered_at is not None


def test_an_unchanged_format_reuses_the_mock_quiz(demo_course):
    assert services.mock_quiz() == services.mock_quiz()
    assert Quiz.objects.count() == 1


def test_practice_is_an_unsaved_quiz_with_feedback_after_each_answer():
    quiz = services.PracticeChoice(topic_ids=[3], domains=["domain-2"], count=7).quiz()
    assert quiz.pk is None and (quiz.selection, quiz.topic_ids, quiz.domains, quiz.question_count) == (
        Selection.RULES,
        [3],
        ["domain-2"],
        7,
    )
    assert quiz.time_limit is None and quiz.feedback == "immediate"


def test_questions_for_follows_the_quiz_rules(demo_course):
    topic = Topic.objects.filter(course=demo_course).first()
    published = list(Question.objects.published().order_by("pk"))
    fixed = Quiz(title="Two", selection=Selection.FIXED, question_ids=[published[0].pk])
    assert list(services.questions_for(fixed)) == [published[0]]
    by_topic = Quiz(title="Topic", topic_ids=[topic.pk])
    assert {q.placement.topic_id for q in services.questions_for(by_topic)} <= {topic.pk}
    beyond = published[0]
    bank.update_details(question=beyond, tags=[*beyond.tags, services.BEYOND_EXAM])
    assert beyond not in services.questions_for(Quiz(title="Exam only"))
    assert beyond in services.questions_for(Quiz(title="Everything", include_beyond_exam=True))
    assert beyond.pk not in {item.id for item in services.bank_items()}  # the mock never draws it


def test_results_count_a_question_without_a_topic(demo_course):
    learner = UserFactory()
    loose = bank.create_question(content=single("Authored, no topic?"), by=None, now=NOW, domain="domain-1", status=Status.PUBLISHED)
    attempt = services.start_questions(user=learner, question_ids=[loose.pk], now=NOW, rng=random.Random(1))
    services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=[attempt.slots.get().option_order.index(0)], now=NOW)
    shown = reports.results(Attempt.objects.get(pk=attempt.pk), now=NOW, viewer=learner)
    assert shown["correct"] == 1 and shown["topics"] == []
    domains = shown["domains"]
    assert isinstance(domains, list) and [row[1] for row in domains] == ["Cloud Concepts"]


def test_retrying_questions_that_left_the_course_is_a_message(client, demo_course):
    learner = UserFactory()
    client.force_login(learner)
    attempt = services.start_practice(user=learner, choice=services.PracticeChoice(count=5), now=NOW, rng=random.Random(1))
    for slot in attempt.slots.all():
        wrong = next(i for i, stored in enumerate(slot.option_order) if not slot.version.content.choices[stored].right)
        services.answer(user=learner, attempt_id=attempt.pk, position=slot.position, shown=[wrong], now=NOW)
    bank.retire_many(ids=attempt.slots.values_list("question_id", flat=True))
    response = client.post(f"/quiz/attempts/{attempt.pk}/retry/", follow=True)
    assert response.status_code == 200
    assert "no longer in the course" in response.content.decode()
