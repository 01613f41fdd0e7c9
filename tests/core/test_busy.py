"""A lock wait that runs out is a "busy, try again" page (503, Retry-After), and nothing of the
request is kept. The wait itself is forced here; tests/core/test_sqlite.py makes a real one."""

from unittest import mock

import pytest
from django.db import OperationalError
from pytest_django.asserts import assertContains

from studyapp.content.models import Card
from studyapp.srs.models import ReviewLog, ReviewState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner_client(client, demo_course):
    client.force_login(UserFactory(time_zone="UTC"))
    return client


def grade_first_card(client, **headers: str):
    card = Card.objects.live().order_by("position").first()
    return card, client.post("/study/review/grade/", {"kind": "card", "item": card.pk, "revision": 0, "rating": 3}, headers=headers)


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["page", "htmx"])
def test_a_lock_timeout_half_way_through_a_review_is_a_busy_page_and_keeps_nothing(learner_client, headers):
    # The review's state row is written, then the log row waits for the lock too long.
    with mock.patch.object(ReviewLog.objects, "create", side_effect=OperationalError("database is locked")):
        card, response = grade_first_card(learner_client, **headers)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    assertContains(response, "The site is busy, try again in a moment", status_code=503)
    assert not ReviewState.objects.filter(card=card).exists()  # the state written first was rolled back
    assert not ReviewLog.objects.exists()


def test_the_same_review_sent_again_is_saved(learner_client):
    with mock.patch.object(ReviewLog.objects, "create", side_effect=OperationalError("database is locked")):
        grade_first_card(learner_client)
    card, response = grade_first_card(learner_client)
    assert response.status_code == 302
    assert ReviewLog.objects.filter(review_state__card=card).count() == 1


def test_any_other_database_error_stays_a_server_error(learner_client):
    with (
        mock.patch.object(ReviewLog.objects, "create", side_effect=OperationalError("no such table: srs_reviewlog")),
        pytest.raises(OperationalError, match="no such table"),
    ):
        grade_first_card(learner_client)
