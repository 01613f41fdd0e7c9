"""Brute-force protection: failed log ins locked per account and per address, on the learners' log-in
page and the admin's, with a 429 page that says when to try again and a lock that ends by itself."""

from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.http import HttpRequest
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from studyapp.accounts.lockout import client_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _no_lockouts():
    """Each test starts and ends with no failures counted (the database rolls back too; this also
    covers a handler that keeps its counts elsewhere)."""
    AxesProxyHandler.reset_attempts()
    yield
    AxesProxyHandler.reset_attempts()


def fail(client: Client, url: str, username: str, times: int) -> None:
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "wrong password!"})
        assert response.status_code in {200, 429}


def test_the_right_password_is_refused_after_25_wrong_ones(client):
    UserFactory(username="grace")
    fail(client, "/accounts/login/", "grace", 25)
    response = client.post("/accounts/login/", {"username": "grace", "password": PASSWORD})
    assert response.status_code == 429
    assertContains(response, "Too many log-in attempts", status_code=429)
    assertContains(response, "Try again after", status_code=429)
    assertContains(response, "(in 15 minutes)", status_code=429)
    assert int(response["Retry-After"]) == pytest.approx(15 * 60, abs=5)
    assert "_auth_user_id" not in client.session


def test_the_lock_starts_at_the_fifth_failure(client):
    UserFactory(username="grace")
    fail(client, "/accounts/login/", "grace", 3)
    response = client.post("/accounts/login/", {"username": "grace", "password": "wrong password!"})
    assertContains(response, "Please enter a correct username and password")  # the fourth: still a form error
    response = client.post("/accounts/login/", {"username": "grace", "password": "wrong password!"})
    assertContains(response, "Too many log-in attempts", status_code=429)
    assert client.post("/accounts/login/", {"username": "grace", "password": PASSWORD}).status_code == 429


def test_the_lock_ends_by_itself_after_the_cool_off(client):
    UserFactory(username="grace")
    fail(client, "/accounts/login/", "grace", 25)
    assert client.post("/accounts/login/", {"username": "grace", "password": PASSWORD}).status_code == 429
    # Sixteen minutes pass: the failures axes counted are that much older.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    assertRedirects(client.post("/accounts/login/", {"username": "grace", "password": PASSWORD}), "/")


def test_a_refused_attempt_does_not_extend_the_lock(client):
    UserFactory(username="grace")
    fail(client, "/accounts/login/", "grace", 5)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=10))
    fail(client, "/accounts/login/", "grace", 3)  # refused while locked: not counted
    response = client.post("/accounts/login/", {"username": "grace", "password": PASSWORD})
    assertContains(response, "(in 5 minutes)", status_code=429)


def test_the_admin_login_is_throttled_too(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    fail(client, "/admin/login/", "root", 25)
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assertContains(response, "Too many log-in attempts", status_code=429)
    assert "_auth_user_id" not in client.session


def test_failures_are_counted_per_account_whatever_the_address():
    UserFactory(username="grace")
    for n in range(5):
        fail(Client(REMOTE_ADDR=f"203.0.113.{n}"), "/accounts/login/", "grace", 1)
    response = Client(REMOTE_ADDR="198.51.100.7").post("/accounts/login/", {"username": "grace", "password": PASSWORD})
    assert response.status_code == 429


def test_failures_are_counted_per_address_whatever_the_account():
    UserFactory(username="grace")
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(5):
        fail(attacker, "/accounts/login/", f"guess{n}", 1)
    assert attacker.post("/accounts/login/", {"username": "grace", "password": PASSWORD}).status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.7")  # grace herself, elsewhere, is not locked out by it
    assertRedirects(other.post("/accounts/login/", {"username": "grace", "password": PASSWORD}), "/")


def test_a_success_clears_the_failures(client):
    UserFactory(username="grace")
    fail(client, "/accounts/login/", "grace", 4)
    assertRedirects(client.post("/accounts/login/", {"username": "grace", "password": PASSWORD}), "/")
    client.post("/accounts/logout/")
    fail(client, "/accounts/login/", "grace", 4)
    assertRedirects(client.post("/accounts/login/", {"username": "grace", "password": PASSWORD}), "/")


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    assert client_address(request) == "10.0.0.2"


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client wrote 6.6.6.6 itself
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.2"),  # fewer hops than proxies: not through them, so REMOTE_ADDR
    ],
)
def test_a_trusted_proxy_count_reads_forwarded_for_from_the_right(settings, hops, forwarded, expected):
    settings.STUDYAPP_TRUSTED_PROXY_COUNT = hops
    request = HttpRequest()
    request.META = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(request) == expected


def test_the_lockout_page_is_the_same_under_asgi(async_client):
    """`make run` serves through daphne, where axes' middleware runs its async path."""
    from asgiref.sync import async_to_sync

    UserFactory(username="grace")
    for _ in range(5):
        async_to_sync(async_client.post)("/accounts/login/", {"username": "grace", "password": "wrong password!"})
    response = async_to_sync(async_client.post)("/accounts/login/", {"username": "grace", "password": PASSWORD})
    assertContains(response, "Try again after", status_code=429)
    assertContains(response, "(in 15 minutes)", status_code=429)
