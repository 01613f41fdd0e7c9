"""Sign up, log in and out, passwords, settings and roles."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest, HttpResponse
from pytest_django.asserts import assertContains, assertRedirects

from studyapp.accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def test_signup_creates_a_learner_and_signs_them_in(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ada",
            "email": "ada@example.com",
            "time_zone": "Europe/Paris",
            "password1": "a-Strong-pass-2026",
            "password2": "a-Strong-pass-2026",
        },
    )
    assertRedirects(response, "/", fetch_redirect_response=False)
    user = User.objects.get(username="ada")
    assert user.role == Role.LEARNER and user.time_zone == "Europe/Paris"
    assertContains(client.get("/"), "Welcome, ada!")


def test_signup_errors_are_shown_and_nothing_is_created(client):
    response = client.post("/accounts/signup/", {"username": "ada", "time_zone": "Mars/Base", "password1": "a", "password2": "b"})
    assert response.status_code == 200
    assertContains(response, "password fields didn’t match")
    assertContains(response, "Select a valid choice")
    assert not User.objects.exists()


def test_login_and_logout(client):
    UserFactory(username="grace")
    response = client.post("/accounts/login/", {"username": "grace", "password": PASSWORD})
    assertRedirects(response, "/")
    assertContains(client.get("/"), "Log out")
    assert client.get("/accounts/logout/").status_code == 200  # a page with a button: logging out takes a POST (CSRF-protected)
    assertRedirects(client.post("/accounts/logout/"), "/")
    assertContains(client.get("/"), "Sign up")


def test_logout_by_address_shows_a_button_and_then_says_so(client):
    user = UserFactory(username="grace")
    client.force_login(user)
    page = client.get("/accounts/logout/")
    assertContains(page, '<form method="post" action="/accounts/logout/"')
    assertContains(page, "Log out</button>")
    assert "no-cache" in page["Cache-Control"]
    assertContains(client.post("/accounts/logout/", follow=True), "You are logged out.")
    assertContains(client.get("/accounts/logout/"), "You are not logged in")


def test_wrong_password_is_a_form_error(client):
    UserFactory(username="grace")
    response = client.post("/accounts/login/", {"username": "grace", "password": "nope"})
    assertContains(response, "Please enter a correct username and password")


def test_profile_needs_login_and_saves_the_time_zone(client):
    assertRedirects(client.get("/accounts/profile/"), "/accounts/login/?next=/accounts/profile/")
    user = UserFactory()
    client.force_login(user)
    response = client.post("/accounts/profile/", {"email": "new@example.com", "time_zone": "Asia/Tokyo"})
    assertRedirects(response, "/accounts/profile/")
    user.refresh_from_db()
    assert user.time_zone == "Asia/Tokyo"


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "another-Strong-2026", "new_password2": "another-Strong-2026"},
    )
    assertRedirects(response, "/accounts/password_change/done/")
    user.refresh_from_db()
    assert user.check_password("another-Strong-2026")


def test_password_reset_by_email(client):
    user = UserFactory(email="lin@example.com")
    assertRedirects(client.post("/accounts/password_reset/", {"email": "lin@example.com"}), "/accounts/password_reset/done/")
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", str(mail.outbox[0].body)).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session and redirects
    response = client.post(form_url, {"new_password1": "reset-Strong-2026", "new_password2": "reset-Strong-2026"})
    assertRedirects(response, "/accounts/reset/done/")
    user.refresh_from_db()
    assert user.check_password("reset-Strong-2026")


def test_grant_role_command():
    UserFactory(username="ines")
    call_command("grant_role", "ines", "instructor")
    assert User.objects.get(username="ines").is_instructor
    with pytest.raises(CommandError, match="no user named 'nobody'"):
        call_command("grant_role", "nobody", "author")


def test_time_zone_is_used_for_the_signed_in_user(client):
    from django.utils import timezone

    from studyapp.core.middleware import UserTimezoneMiddleware

    seen = {}

    def view(request):
        seen["tz"] = timezone.get_current_timezone_name()
        return HttpResponse()

    request = HttpRequest()
    request.user = UserFactory.build(time_zone="America/Lima")
    UserTimezoneMiddleware(view)(request)
    assert seen["tz"] == "America/Lima"


def _reset_link(user, *, token=None) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    return f"/accounts/reset/{urlsafe_base64_encode(force_bytes(user.pk))}/{token or default_token_generator.make_token(user)}/"


def test_reset_confirm_tells_an_expired_link_from_an_invalid_one(client, settings):
    from datetime import timedelta

    from django.contrib.auth.tokens import default_token_generator

    user = UserFactory(username="grace")
    two_days_ago = default_token_generator._num_seconds(default_token_generator._now() - timedelta(days=2))
    expired = default_token_generator._make_token_with_timestamp(user, two_days_ago, default_token_generator.secret)
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
    response = client.get(_reset_link(user, token=expired))
    assertContains(response, "This link has expired")
    assertContains(response, "valid for 1\xa0day")  # timeuntil() joins with a no-break space
    response = client.get(_reset_link(user, token="abc-0123456789abcdef"))
    assertContains(response, "This link is not valid")
    assertContains(response, "already used")
    response = client.get(_reset_link(user), follow=True)  # a good link still works
    assertContains(response, "Set password")


def test_signup_refuses_an_11_character_password_and_says_12_are_needed(client):
    page = client.get("/accounts/signup/")
    assertContains(page, "at least 12 characters")  # the form's help text
    response = client.post(
        "/accounts/signup/",
        {"username": "ada", "time_zone": "UTC", "password1": "Str0ng-pa55", "password2": "Str0ng-pa55"},
    )
    assertContains(response, "This password is too short. It must contain at least 12 characters.")
    assert not User.objects.exists()


def test_password_change_refuses_an_11_character_password(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Str0ng-pa55", "new_password2": "Str0ng-pa55"},
    )
    assertContains(response, "This password is too short. It must contain at least 12 characters.")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


SIGNUP = {
    "username": "ada",
    "email": "ada@example.com",
    "time_zone": "UTC",
    "password1": "a-Strong-pass-2026",
    "password2": "a-Strong-pass-2026",
}


def test_a_signup_that_loses_the_race_is_a_form_error(client, monkeypatch):
    """Another sign-up took the username between this form's check and its insert."""
    from studyapp.accounts.forms import SignupForm

    UserFactory(username="ada")
    # Both of the form's checks ran before the other sign-up's insert, so they saw no "ada" yet.
    monkeypatch.setattr(SignupForm, "clean_username", lambda form: form.cleaned_data["username"])
    monkeypatch.setattr(SignupForm, "validate_unique", lambda form: None)
    response = client.post("/accounts/signup/", SIGNUP)
    assertContains(response, "A user with that username already exists.")
    assert User.objects.filter(username="ada").count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_identical_signups_at_once_make_one_account_and_nine_form_errors(monkeypatch):
    """Ten threads, ten connections; each form is checked before any account is inserted, as when
    ten requests arrive together (the barrier makes sure of it)."""
    import threading

    from django.db import connection
    from django.test import Client

    from studyapp.accounts.forms import SignupForm

    barrier = threading.Barrier(10)
    statuses: list[int] = []
    checked = SignupForm.is_valid

    def is_valid(form: SignupForm) -> bool:
        valid = checked(form)
        barrier.wait(timeout=30)
        return valid

    monkeypatch.setattr(SignupForm, "is_valid", is_valid)

    def signup() -> None:
        try:
            client = Client(raise_request_exception=False)
            response = client.post("/accounts/signup/", SIGNUP)
            statuses.append(response.status_code)
            if response.status_code == 200:
                assert "A user with that username already exists." in response.content.decode()
        finally:
            connection.close()

    connection.close()  # PostgreSQL's pool holds 10: one for each sign-up, none kept by this thread
    threads = [threading.Thread(target=signup) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] * 9 + [302]
    assert User.objects.filter(username="ada").count() == 1
