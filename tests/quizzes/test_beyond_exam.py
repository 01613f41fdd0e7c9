"""Beyond-exam questions (issue 13, point 2): practice leaves them out unless the learner ticks
"Include beyond-exam questions", and readiness counts only what the exam asks."""

from typing import cast

import pytest
from pytest_django.asserts import assertContains

from studyapp.accounts.models import User
from studyapp.content.models import Card
from studyapp.questions import services as question_services
from studyapp.questions.models import Question
from studyapp.quizzes import reports, services
from studyapp.quizzes.models import Attempt
from studyapp.srs import services as srs_services
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(db: None) -> User:
    return UserFactory()


@pytest.fixture
def beyond(demo_course) -> Question:
    """The demo's domain-1 question, tagged beyond-exam; its domain-3 one stays exam-relevant."""
    question = Question.objects.get(source_key="demo-q-two")
    question_services.update_details(question=question, tags=[*question.tags, services.BEYOND_EXAM])
    return question


def drawn(attempt: Attempt) -> set[str]:
    return set(attempt.slots.values_list("question__source_key", flat=True))


def test_the_practice_form_offers_beyond_exam_questions_and_says_what_they_are(client, learner: User, beyond: Question) -> None:
    client.force_login(learner)
    page = client.get("/quiz/practice/")
    assertContains(page, "Include beyond-exam questions")
    assertContains(page, "Questions on price arithmetic and configuration details the exam does not ask")
    assertContains(page, 'name="include_beyond_exam"')


def test_practice_leaves_beyond_exam_questions_out_unless_ticked(client, learner: User, beyond: Question) -> None:
    client.force_login(learner)
    client.post("/quiz/practice/", {"count": "5", "only": "all"})
    without = Attempt.objects.for_user(learner).get()
    assert drawn(without) == {"demo-q-fargate"} and without.options["beyond_exam"] is False

    client.post("/quiz/practice/", {"count": "5", "only": "all", "include_beyond_exam": "on"})
    with_them = Attempt.objects.for_user(learner).exclude(pk=without.pk).get()
    assert drawn(with_them) == {"demo-q-fargate", "demo-q-two"} and with_them.options["beyond_exam"] is True


def test_a_practice_of_only_beyond_exam_questions_needs_the_box_ticked(client, learner: User, beyond: Question) -> None:
    client.force_login(learner)
    response = client.post("/quiz/practice/", {"count": "5", "only": "all", "domains": ["domain-1"]})
    assertContains(response, "No question matches that choice")
    client.post("/quiz/practice/", {"count": "5", "only": "all", "domains": ["domain-1"], "include_beyond_exam": "on"})
    assert drawn(Attempt.objects.for_user(learner).get()) == {"demo-q-two"}


def test_readiness_counts_only_exam_relevant_questions_and_cards(learner: User, beyond: Question) -> None:
    card, other = Card.objects.get(source_key="demo-image"), Card.objects.get(source_key="demo-lambda-price")
    for seen in (card, other):
        srs_services.record_review(user=learner, kind="card", item_id=seen.pk, revision=0, rating=3, now=NOW)
    before = reports.readiness(learner, now=NOW)
    assert before is not None

    Card.objects.filter(source_key__startswith="demo-registry").update(tags=[services.BEYOND_EXAM])  # its two cloze cards
    Card.objects.filter(pk=card.pk).update(tags=[services.BEYOND_EXAM])
    after = reports.readiness(learner, now=NOW)

    assert after is not None
    assert Question.objects.published().count() == 2 and after["questions_total"] == 1  # demo-q-two does not count
    assert after["cards_total"] == cast(int, before["cards_total"]) - 3
    domain_1 = {row["code"]: row for row in after["domains"]}["domain-1"]  # type: ignore[attr-defined]
    assert domain_1["questions_total"] == 0
    assert (before["cards_seen"], after["cards_seen"]) == (2, 1)  # a card seen that is beyond the exam says nothing of readiness
