"""The mock over the real course (issue 13, points 1 and 2): exactly the blueprint, exam-relevant
questions only, and two mocks in a row sharing at most what the bank's pools force."""

import os
import random
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains

from studyapp.accounts.models import User
from studyapp.questions import services as question_services
from studyapp.questions.models import Question
from studyapp.quizzes import blueprint, services
from studyapp.quizzes.models import Attempt
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
EXAM = {"domain-1": 16, "domain-2": 19, "domain-3": 22, "domain-4": 8}


@pytest.fixture
def real_course(db: None) -> None:
    with open(os.devnull, "w") as devnull:
        call_command("load_content", stdout=devnull)


@pytest.fixture
def learner(db: None) -> User:
    return UserFactory()


def questions_of(attempt: Attempt) -> list[Question]:
    return [slot.question for slot in attempt.slots.select_related("question")]


def sit(learner: User, *, at: int, seed: int, review: bool = False) -> Attempt:
    """Start a mock and submit it (a review-mode one is finished by hand: it runs as practice)."""
    attempt = services.start_mock(user=learner, now=NOW + timedelta(hours=at), rng=random.Random(seed), review=review)
    if review:
        Attempt.objects.filter(pk=attempt.pk).update(finished_at=NOW + timedelta(hours=at, minutes=30))
    else:
        services.submit_mock(user=learner, attempt_id=attempt.pk, now=NOW + timedelta(hours=at, minutes=30))
    return attempt


def tag_beyond_exam(per_domain: int) -> set[int]:
    """Tag a few more of the course's questions beyond-exam, so the test holds whatever the notes tag today."""
    tagged: set[int] = set()
    for domain in EXAM:
        for question in services.questions_for(services.mock_quiz()).filter(domain=domain).order_by("pk")[:per_domain]:
            question_services.update_details(question=question, tags=[*question.tags, services.BEYOND_EXAM])
            tagged.add(question.pk)
    return tagged


def test_the_mock_draws_exactly_the_blueprint_from_the_course(learner: User, real_course: None) -> None:
    for seed in range(3):
        attempt = sit(learner, at=seed, seed=seed)
        assert Counter(q.domain for q in questions_of(attempt)) == EXAM
        assert attempt.options["shortfall"] == {} and attempt.options["counts"] == EXAM


def test_two_mocks_in_a_row_share_no_question_now_every_pool_is_twice_its_count(learner: User, real_course: None) -> None:
    bank = services.bank_items()
    plan = services.mock_quiz().blueprint()
    pools = Counter(item.domain for item in bank if plan.fits(item))
    assert all(pools[domain] >= 2 * count for domain, count in EXAM.items()), pools  # point 1: 32/38/44/16
    assert blueprint.repeat_bound(bank, plan) == dict.fromkeys(EXAM, 0)
    previous: set[int] = set()
    for seed in range(4):
        drawn = {q.pk for q in questions_of(sit(learner, at=seed, seed=seed))}
        assert len(drawn & previous) == 0, f"mock {seed + 1} repeats {len(drawn & previous)} of mock {seed}"
        previous = drawn


def test_a_short_pool_repeats_only_what_it_must_from_the_previous_mock(learner: User, real_course: None) -> None:
    # Domain 1 cut to 20 exam questions: the second mock takes the 4 it did not ask, then 12 repeats.
    domain_1 = list(services.questions_for(services.mock_quiz()).filter(domain="domain-1").order_by("pk").values_list("pk", flat=True))
    question_services.retire_many(ids=domain_1[20:])
    bound = blueprint.repeat_bound(services.bank_items(), services.mock_quiz().blueprint())
    assert bound["domain-1"] == 12 and sum(bound.values()) == 12

    first = sit(learner, at=0, seed=1)
    second = sit(learner, at=1, seed=2)

    shared = Counter(q.domain for q in questions_of(second) if q in questions_of(first))
    assert shared == {"domain-1": 12}
    assert {q.pk for q in questions_of(first) + questions_of(second) if q.domain == "domain-1"} == set(domain_1[:20])


def test_the_review_mode_avoids_the_previous_mock_too(learner: User, real_course: None) -> None:
    timed = {q.pk for q in questions_of(sit(learner, at=0, seed=5))}
    review = {q.pk for q in questions_of(sit(learner, at=1, seed=6, review=True))}
    assert len(review) == 65 and not timed & review


def test_neither_mock_ever_draws_a_beyond_exam_question(learner: User, real_course: None) -> None:
    tagged = tag_beyond_exam(per_domain=3)
    beyond = set(Question.objects.published().filter(tags__icontains=services.BEYOND_EXAM).values_list("pk", flat=True))
    assert tagged <= beyond
    for seed in range(6):
        attempt = sit(learner, at=seed, seed=seed, review=seed % 2 == 1)
        questions = questions_of(attempt)
        assert Counter(q.domain for q in questions) == EXAM
        assert not {q.pk for q in questions} & beyond
        assert all(services.BEYOND_EXAM not in q.tags for q in questions)


def test_the_start_page_says_how_many_questions_two_mocks_in_a_row_share(client, learner: User, real_course: None) -> None:
    client.force_login(learner)
    assertContains(client.get("/quiz/mock/"), "two mocks in a row share no question")
    domain_1 = services.questions_for(services.mock_quiz()).filter(domain="domain-1").order_by("pk").values_list("pk", flat=True)
    question_services.retire_many(ids=list(domain_1)[20:])
    assertContains(client.get("/quiz/mock/"), "two mocks in a row share at most 12 questions")
