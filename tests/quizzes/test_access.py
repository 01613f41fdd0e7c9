"""The one door to an attempt: every URL that reads or changes one lets only its owner through, and
answers a stranger exactly as it answers an attempt that does not exist."""

import random
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from studyapp.quizzes import access, services
from studyapp.quizzes.models import Attempt, AttemptQuestion
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every URL of the quizzes app that names an attempt, with the methods it takes.
ATTEMPT_URLS = {
    "question": ("/quiz/attempts/{id}/1/", ["GET", "POST"]),
    "flag": ("/quiz/attempts/{id}/1/flag/", ["POST"]),
    "results": ("/quiz/attempts/{id}/results/", ["GET"]),
    "retry": ("/quiz/attempts/{id}/retry/", ["POST"]),
    "abandon": ("/quiz/attempts/{id}/abandon/", ["GET", "POST"]),
    "mock_question": ("/quiz/mock/{id}/1/", ["GET", "POST"]),
    "mock_review": ("/quiz/mock/{id}/review/", ["GET"]),
    "mock_submit": ("/quiz/mock/{id}/submit/", ["POST"]),
}
CASES = [(name, method) for name, (_, methods) in ATTEMPT_URLS.items() for method in methods]


def test_every_attempt_url_is_covered_here():
    resolver = get_resolver()
    names = {
        pattern.name
        for top in resolver.url_patterns
        if isinstance(top, URLResolver) and top.namespace == "quizzes"
        for pattern in top.url_patterns
        if isinstance(pattern, URLPattern) and "attempt_id" in str(pattern.pattern)
    }
    assert names == set(ATTEMPT_URLS)


@pytest.fixture
def owner(db):
    return UserFactory()


@pytest.fixture(params=["practice", "mock"])
def attempt(request, owner, demo_course) -> Attempt:
    if request.param == "mock":
        return services.start_mock(user=owner, now=NOW, rng=random.Random(1))
    return services.start_practice(user=owner, choice=services.PracticeChoice(count=5), now=NOW, rng=random.Random(1))


def _page(response) -> str:
    """The page as the visitor reads it, without the per-request tokens (CSP nonce, CSRF)."""
    return re.sub(r"[\w+/=-]{20,}", "", response.content.decode())


def _state(attempt: Attempt) -> list[tuple]:
    return list(
        AttemptQuestion.objects.filter(attempt=attempt).values_list("selected", "flagged", "fraction", "answered_at").order_by("position")
    )


@pytest.mark.parametrize(("name", "method"), CASES)
def test_a_stranger_gets_the_same_404_as_for_a_missing_attempt(client, attempt, name, method):
    client.force_login(UserFactory())
    url = ATTEMPT_URLS[name][0]
    before, attempts = _state(attempt), Attempt.objects.count()
    send = client.get if method == "GET" else client.post
    strangers = send(url.format(id=attempt.pk), {"option": "0"} if method == "POST" else {})
    missing = send(url.format(id=attempt.pk + 1000), {"option": "0"} if method == "POST" else {})
    assert (strangers.status_code, missing.status_code) == (404, 404)
    assert _page(strangers) == _page(missing)
    assert _state(attempt) == before and Attempt.objects.count() == attempts  # nothing changed


@pytest.mark.parametrize(("name", "method"), CASES)
def test_the_owner_gets_through(client, owner, attempt, name, method):
    client.force_login(owner)
    send = client.get if method == "GET" else client.post
    response = send(ATTEMPT_URLS[name][0].format(id=attempt.pk), {"option": "0"} if method == "POST" else {})
    if attempt.mode == "practice" and name.startswith("mock_"):
        assert response.status_code == 404  # the mock's pages do not open a practice attempt
    else:
        assert response.status_code != 404


def test_instructor_access_needs_a_rule_that_grants_it(owner, attempt, monkeypatch):
    teacher = UserFactory()
    with pytest.raises(access.Http404):
        access.access_attempt(teacher, attempt.pk, as_instructor=True)
    monkeypatch.setattr(access, "_instructor_rules", [])
    access.register_instructor_rule(lambda user, seen: user == teacher and seen.user == owner)
    assert access.access_attempt(teacher, attempt.pk, as_instructor=True) == attempt
    with pytest.raises(access.Http404):  # the rule does not apply without as_instructor
        access.access_attempt(teacher, attempt.pk)
