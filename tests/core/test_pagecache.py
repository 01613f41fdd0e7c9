"""Visitors' pages served from the cache (core.pagecache): fresh after a load that changes the
content, kept after one that does not, never another response's nonce or token, never a learner's."""

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from studyapp.content.loader import load
from studyapp.content.sync import sync_content
from studyapp.core.pagecache import CSRF_MARK, NONCE_MARK
from tests.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PAGES = ["/", "/courses/demo/", "/courses/demo/containers/", "/search/?q=containers"]


def _nonce(response) -> str:
    header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert header, response.headers["Content-Security-Policy"]
    return header[1]


def test_a_load_that_changes_a_note_shows_its_new_text(client, demo_course, demo_root):
    note = demo_root / "demo" / "01-containers.md"
    assertContains(client.get("/courses/demo/containers/"), "Containers in brief")
    note.write_text(note.read_text().replace("Containers in brief", "Boxes explained"))
    sync_content(load(demo_root), now=NOW)
    response = client.get("/courses/demo/containers/")
    assertContains(response, "Boxes explained")
    assertNotContains(response, "Containers in brief")


def test_a_load_without_changes_keeps_the_cached_pages(client, demo_course, demo_root, django_assert_num_queries):
    client.get("/courses/demo/containers/")
    report = sync_content(load(demo_root), now=NOW)
    assert not report.changes
    with django_assert_num_queries(0):  # still the cached page: not even the note is read again
        assertContains(client.get("/courses/demo/containers/"), "Containers in brief")


@pytest.mark.parametrize("url", PAGES)
def test_each_cached_page_carries_a_fresh_nonce_matching_its_csp_header(client, demo_course, url):
    nonces = []
    for _ in range(3):  # the first one renders the page, the others come from the cache
        response = client.get(url)
        body = response.content.decode()
        nonce = _nonce(response)
        assert f'nonce="{nonce}"' in body
        assert NONCE_MARK not in body and CSRF_MARK not in body
        nonces.append(nonce)
    assert len(set(nonces)) == 3


def test_each_visitor_gets_a_csrf_token_of_their_own(client, demo_course):
    from django.test import Client

    tokens = []
    for visitor in (client, Client(), Client()):
        response = visitor.get("/")
        token = re.search(r'"X-CSRFToken": "([^"]+)"', response.content.decode())[1]
        cookie = response.cookies["csrftoken"].value  # the page's token matches this visitor's cookie
        assert token and cookie
        tokens.append((token, cookie))
    assert len({cookie for _, cookie in tokens}) == 3
    assert len({token for token, _ in tokens}) == 3


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_learner_never_gets_the_visitors_cached_page(client, demo_course, url):
    client.get(url)  # cached for visitors
    client.force_login(UserFactory(username="ada-lovelace"))
    response = client.get(url)
    assertContains(response, "ada-lovelace")  # the header shows the learner's name
    assertNotContains(response, "Sign up</a>")


def test_a_visitor_with_a_message_waiting_gets_it(client, demo_course):
    client.get("/")  # cached for visitors
    client.force_login(UserFactory())
    response = client.post("/accounts/logout/", follow=True)
    assert response.status_code == 200
    assert b'class="message' in response.content  # the message is on the page, so it was not the cached one


def test_the_course_home_is_four_queries_then_none(client, demo_course, django_assert_num_queries):
    """It was five every time (course, notes, cards, questions, topics). Now: the content's version,
    the course, the topics with their counts, the notes; then the cached page."""
    from studyapp.core import versions

    versions.forget()
    with django_assert_num_queries(4):
        client.get("/")
    with django_assert_num_queries(0):
        assertContains(client.get("/"), "3 flashcards")


def test_a_learners_course_home_reads_only_their_own_progress(client, demo_course, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.get("/")
    with django_assert_num_queries(1):  # the notes they read (the learner comes from the cache: accounts.backends)
        response = client.get("/")
    assertContains(response, "0 of 1 note read")
    client.post("/courses/demo/functions/read/")
    assertContains(client.get("/"), "1 of 2 notes read")  # the topic list is kept per set of notes read
