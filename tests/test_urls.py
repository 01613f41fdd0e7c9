"""Every URL of studyapp.urls, walked: HEAD is answered wherever GET is (proxies and uptime checks
use it), and nothing a signed-in learner gets back may be stored by a cache. A new URL whose
parameters this file cannot fill fails here until a value is added to ``values()``; an ``<id:…>``
it has no value for gets an id that matches nothing (the method decorators answer before any
lookup, so HEAD is still checked; the page itself is then a 404, which must not be cached either)."""

import random
import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from studyapp.accounts.models import User
from studyapp.content.models import Card, Course
from studyapp.pricing import registry
from studyapp.pricing.views import COMPARISONS
from studyapp.quizzes import services
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
NO_SUCH_ID = "999999"


def routes() -> Iterator[str]:
    """Every route of the project's URLconf but Django admin's (Django's own views, which take any
    method), as written: ``study/items/<str:kind>/<id:item_id>/<str:action>/``."""
    stack: list[tuple[URLPattern | URLResolver, str]] = [(p, "") for p in get_resolver().url_patterns]
    while stack:
        item, prefix = stack.pop()
        route = prefix + str(item.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(item, URLResolver):
            stack.extend((p, route) for p in item.url_patterns)
        else:
            yield route


def values(learner: User, course: Course) -> dict[str, str]:
    note = course.topics.first().notes.first()
    attempt = services.start_mock(user=learner, now=NOW, rng=random.Random(1))
    return {
        "course_slug": course.slug,
        "note_slug": note.slug,
        "kind": "card",
        "item_id": str(Card.objects.first().pk),
        "action": "bury",
        "attempt_id": str(attempt.pk),
        "position": "1",
        "preset": next(iter(COMPARISONS)),
        "service": next(iter(registry.CALCULATORS)),
        "uidb64": urlsafe_base64_encode(force_bytes(learner.pk)),
        "token": default_token_generator.make_token(learner),
        "user_id": str(learner.pk),
        "code": "no-such-code",  # a class's join code
    }


def urls(learner: User, course: Course) -> list[str]:
    filled = values(learner, course)
    found = []
    for route in sorted(set(routes())):
        missing = {name for converter, name in PARAMETER.findall(route) if name not in filled and converter != "id"}
        assert not missing, f"{route}: add a value for {missing} to values()"
        found.append("/" + PARAMETER.sub(lambda m: filled.get(m.group(2), NO_SUCH_ID), route))
    return found


def body(response: HttpResponseBase) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)  # type: ignore[arg-type]
    assert isinstance(response, HttpResponse)
    return response.content


@pytest.fixture
def learner_client(demo_course) -> tuple[Client, User]:
    learner = UserFactory()
    client = Client()
    client.force_login(learner)
    return client, learner


def test_head_is_answered_wherever_get_is(learner_client, demo_course):
    client, learner = learner_client
    checked = 0
    for url in urls(learner, demo_course):
        head = client.head(url)
        get = client.get(url)
        if get.status_code == 405:  # a POST-only action
            assert head.status_code == 405, url
            continue
        assert head.status_code == get.status_code, f"HEAD {url}: {head.status_code}, GET: {get.status_code}"
        assert body(head) == b"", url
        checked += 1
    assert checked > 30  # the walk found the pages, not only a handful


def test_head_is_answered_for_visitors_too(client, demo_course):
    for url in ["/", "/search/", f"/courses/{demo_course.slug}/", "/pricing/", "/accounts/login/", "/accounts/signup/", "/healthz/"]:
        assert client.head(url).status_code == 200, url


def test_nothing_sent_to_a_signed_in_learner_may_be_stored(learner_client, demo_course):
    client, learner = learner_client
    for url in urls(learner, demo_course):
        response = client.get(url)
        if response.status_code == 405:
            continue
        cache_control = response.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, f"{url}: Cache-Control {cache_control!r}"
        assert "public" not in cache_control, url
