"""A form POST declaring a charset other than UTF-8 is a clean 400 on every POST URL, and writes nothing.

Django (since 5.0, ticket #34709) refuses such a body with BadRequest each time ``request.POST`` is
read, and its error handling reads it again: the middleware answers before anything reads it."""

import random

import pytest
from django.apps import apps
from django.test import Client

from studyapp.quizzes import services
from tests.conftest import NOW
from tests.factories import UserFactory

from .routes import every_route

pytestmark = pytest.mark.django_db
CHARSETS = ["latin-1", "utf-16", "bogus", "ISO-8859-1"]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.fixture
def signed_in(demo_course):
    learner = UserFactory()
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(learner)
    client.get("/study/review/")  # a CSRF cookie
    practice = services.start_practice(user=learner, choice=services.PracticeChoice(count=5), now=NOW, rng=random.Random(1))
    mock = services.start_mock(user=learner, now=NOW, rng=random.Random(1))
    return client, every_route(practice=practice, mock=mock)


def post(client: Client, url: str, charset: str, body: str = "next=%2Fstudy%2F&rating=3&topic=caf%E9"):
    """POST ``body`` as a form declaring ``charset`` (sent as given: the test client's post() would re-encode it)."""
    token = client.cookies["csrftoken"].value
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    return client.generic("POST", url, f"csrfmiddlewaretoken={token}&{body}", content_type=content_type, headers={"X-CSRFToken": token})


def test_every_post_url_answers_another_charset_with_a_400_and_writes_nothing(signed_in):
    client, routes = signed_in
    before, failures = row_counts(), []
    for route in routes:
        for charset in CHARSETS:
            response = post(client, route.url, charset)
            if response.status_code != 400 or b"encoding the site does not accept" not in response.content:
                failures.append((route.url, charset, response.status_code))
    assert not failures
    assert len(routes) > 40
    assert row_counts() == before


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8"])
def test_a_utf8_form_still_goes_through(signed_in, charset):
    client, _ = signed_in
    response = post(client, "/study/review/undo/", charset, body="topic=containers")
    assert response.status_code == 302
    assert response["Location"] == "/study/review/?topic=containers"


def test_htmx_gets_the_same_400(signed_in):
    client, _ = signed_in
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/study/review/undo/",
        b"x=1",
        content_type="application/x-www-form-urlencoded; charset=latin-1",
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
