"""A NUL byte in any query parameter of any GET URL is a 404, a form error or a page ignoring it,
on SQLite and PostgreSQL alike (PostgreSQL refuses NUL in text: it must never reach the database)."""

import random

import pytest

from studyapp.quizzes import services
from studyapp.quizzes.models import Attempt
from tests.conftest import NOW
from tests.factories import UserFactory

from .routes import every_route

pytestmark = pytest.mark.django_db

# Every query parameter a view reads (grep request.GET, the GET forms' fields); the calculators'
# inputs only on the pricing pages.
PARAMETERS = [
    *("topic", "show", "shown", "course", "q", "page", "quick", "option", "next"),
    *("state", "suspended", "flagged", "buried", "leech", "calc", "mode", "go"),
]
PRICING = [*("seed", "of", "n", "right", "answer", "drop", "add", "service", "line"), *("requests", "duration_ms", "memory_mb", "bundle")]


@pytest.fixture
def signed_in(client, demo_course):
    learner = UserFactory()
    client.force_login(learner)
    practice = services.start_practice(user=learner, choice=services.PracticeChoice(count=5), now=NOW, rng=random.Random(1))
    mock = services.start_mock(user=learner, now=NOW, rng=random.Random(1))
    return client, every_route(practice=practice, mock=mock)


def test_no_get_url_fails_on_a_nul_in_a_parameter(signed_in):
    client, routes = signed_in
    client.raise_request_exception = False  # a 500 is collected, so one run lists every failure
    failures, tried = [], 0
    for route in routes:
        plain = client.get(route.url)
        if plain.status_code == 405 or (plain.status_code == 302 and "login" in plain["Location"]):
            continue  # POST only, or the admin's own log in first (it is walked itself)
        names = PARAMETERS + (PRICING if route.url.startswith("/pricing/") else [])
        for params in [*({name: "x\x00"} for name in names), dict.fromkeys(names, "\x00")]:
            tried += 1
            if (status := client.get(route.url, params).status_code) >= 500:
                failures.append((route.url, sorted(params)[:3], status))
    assert not failures
    assert tried > 500  # the walk reached the pages
    assert Attempt.objects.count() == 2  # and a GET started nothing


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/study/review/", {"topic": "\x00"}),
        ("/study/review/", {"topic": "containers\x00"}),
        ("/study/panels/recall/", {"course": "demo\x00"}),
    ],
)
def test_a_nul_in_a_slug_parameter_is_a_404(signed_in, url, params):
    client, _ = signed_in
    assert client.get(url, params).status_code == 404


def test_a_nul_in_the_card_browser_is_a_form_error(signed_in):
    client, _ = signed_in
    response = client.get("/study/cards/", {"q": "image\x00"})
    assert response.status_code == 200
    assert b"Null characters are not allowed" in response.content


def test_a_nul_in_a_posted_topic_is_a_404_and_changes_nothing(signed_in):
    from studyapp.content.models import Card
    from studyapp.srs.models import ReviewState

    client, _ = signed_in
    card = Card.objects.live().first()
    response = client.post(
        f"/study/items/card/{card.pk}/flag/", {"topic": "containers\x00", "next": "/study/review/"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 404
    assert not ReviewState.objects.filter(flagged=True).exists()
    assert client.post("/study/review/undo/", {"topic": "\x00"}).status_code == 400  # the undo form's slug field
