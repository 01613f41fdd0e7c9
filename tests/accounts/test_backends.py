"""The signed-in user between requests (accounts.backends.UserBackend): read once with their review
settings, then from the cache until their row or their settings are written. Every change a user,
an admin or a command makes shows on the very next request."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from studyapp.accounts.models import Role, User
from studyapp.srs.models import ReviewSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reads_the_user(client: Client, url: str = "/accounts/profile/") -> bool:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code in (200, 302)
    return any('FROM "accounts_user"' in q["sql"] for q in queries)


def test_the_second_request_does_not_read_the_user_again():
    client = _signed_in(UserFactory())
    assert _reads_the_user(client)
    assert not _reads_the_user(client)


def test_a_deactivated_user_is_signed_out_on_the_next_request():
    user = UserFactory()
    client = _signed_in(user)
    _reads_the_user(client)
    user.is_active = False
    user.save()
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_password_changed_elsewhere_signs_out_the_other_sessions():
    user = UserFactory()
    other_browser = _signed_in(user)
    _reads_the_user(other_browser)
    user.set_password("another-Strong-2026")
    user.save()
    response = other_browser.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_role_given_by_the_command_shows_at_once():
    user = UserFactory(username="writer")
    client = _signed_in(user)
    assert client.get("/author/questions/").status_code == 403
    call_command("grant_role", "writer", "author", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert client.get("/author/questions/").status_code == 200


def test_a_deleted_user_is_signed_out():
    user = UserFactory()
    client = _signed_in(user)
    _reads_the_user(client)
    User.objects.filter(pk=user.pk).delete()
    response = client.get("/accounts/profile/")
    assert response.status_code == 302


def test_changed_review_settings_show_on_the_next_request(demo_course):
    user = UserFactory()
    settings = ReviewSettings.objects.create(user=user)
    client = _signed_in(user)
    assert "4 new" in client.get("/study/review/").content.decode()  # the user, kept with their settings
    settings.new_per_day = 1
    settings.save()
    page = client.get("/study/review/").content.decode()
    assert "1 new" in page


def test_the_role_of_another_user_is_never_served(db):
    author = UserFactory(role=Role.AUTHOR)
    learner = UserFactory()
    _reads_the_user(_signed_in(author))
    assert _signed_in(learner).get("/author/questions/").status_code == 403
