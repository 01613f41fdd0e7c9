"""Following ``next``: only a path of this site's own, through one helper, on every view that follows one."""

from urllib.parse import urlencode

import pytest
from django.test import RequestFactory

from studyapp.content.models import Card
from studyapp.core.redirects import safe_next
from tests.factories import UserFactory

DEFAULT = "/study/review/"
HOSTILE = [
    "abc",
    "srs:review",
    "//evil.example",
    "https://evil.example",
    "/\\evil.example",
    "http:/evil.example",
    "/study/\x00",
    " /study/",
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_anything_but_a_local_path_gives_the_default(value):
    request = RequestFactory().post("/", {"next": value})
    assert safe_next(request, DEFAULT) == DEFAULT


@pytest.mark.parametrize("value", ["/study/", "/study/review/?topic=containers", "/study/leeches/"])
def test_a_local_path_is_followed(value):
    assert safe_next(RequestFactory().post("/", {"next": value}), DEFAULT) == value
    assert safe_next(RequestFactory().get("/", {"next": value}), DEFAULT) == value


# Every view that follows a ``next``: the card actions (default: the review screen) and log in
# (default: LOGIN_REDIRECT_URL, the course home).
ACTIONS = ["suspend", "unsuspend", "bury", "flag", "unflag"]
NEXTS = [("abc", DEFAULT), ("//evil.example", DEFAULT), ("https://evil.example", DEFAULT), ("/study/", "/study/")]


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("value", "expected"), NEXTS)
@pytest.mark.parametrize("htmx", [False, True])
def test_card_actions_follow_only_a_local_next(client, demo_course, action, value, expected, htmx):
    client.force_login(UserFactory())
    card = Card.objects.live().first()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(f"/study/items/card/{card.pk}/{action}/", {"next": value}, headers=headers)
    if htmx and expected == DEFAULT:
        assert response.status_code == 200  # the review screen's card fragment
        assert b'id="card"' in response.content
    else:
        assert response.status_code == 302
        assert response["Location"] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "expected"), [("abc", "/"), ("//evil.example", "/"), ("https://evil.example", "/"), ("/study/", "/study/")]
)
@pytest.mark.parametrize("where", ["query", "form"])
def test_log_in_follows_only_a_local_next(client, value, expected, where):
    UserFactory(username="ada")
    data = {"username": "ada", "password": "correct horse battery staple"}
    if where == "query":
        response = client.post(f"/accounts/login/?{urlencode({'next': value})}", data)
    else:
        response = client.post("/accounts/login/", {**data, "next": value})
    assert response.status_code == 302
    assert response["Location"] == expected
