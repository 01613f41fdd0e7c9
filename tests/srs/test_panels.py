"""The recall panel the course home lazy-loads: a page of its own, and its fragment for htmx."""

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateNotUsed, assertTemplateUsed

from studyapp.accounts.models import User
from studyapp.content.models import Card, Course
from tests.factories import UserFactory

from .conftest import rate

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response  # django-stubs' type of a test response

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
URL = "/study/panels/recall/"


@pytest.fixture
def signed_in(client: Client, learner: User, demo_course: Course) -> Client:
    client.force_login(learner)
    return client


def partials(response: "Response") -> list[str]:
    """The partials rendered, as ``page#name`` (Django names a partial by its own name alone)."""
    return [f"{t.origin.template_name!s}#{t.name}" for t in response.templates if t.origin.template_name != t.name]


def test_full_page_without_htmx(signed_in: Client, learner: User, cards: list[Card]) -> None:
    for card in cards[:3]:  # the containers topic's three cards: all of a small topic is enough to predict
        rate(learner, card, 4)
    response = signed_in.get(URL, {"course": "demo"})
    assert response.status_code == 200
    assertTemplateUsed(response, "srs/recall_panel.html")
    assertTemplateUsed(response, "base.html")
    assertContains(response, "<html")
    assertContains(response, "Recall by topic")
    assertContains(response, "Predicted recall <strong>", count=1)
    assertContains(response, "of 3 cards seen · 0 not seen yet")
    assertContains(response, "1 not seen yet")  # the functions topic, not studied: no number
    assertContains(response, 'href="/courses/demo/"')  # back to the course


def test_one_card_reviewed_a_minute_ago_is_not_a_prediction(signed_in: Client, learner: User, cards: list[Card]) -> None:
    rate(learner, cards[0], 4)
    response = signed_in.get(URL, {"course": "demo"}, headers=HX)
    assertNotContains(response, "Predicted recall")  # not "100 %" after one review
    assertContains(response, "Not enough reviews yet to predict (1 card seen) · 2 not seen yet")


def test_fragment_with_htmx(signed_in: Client, learner: User, cards: list[Card]) -> None:
    for card in cards[:2]:
        rate(learner, card, 4)
    response = signed_in.get(URL, {"course": "demo"}, headers=HX)
    assert response.status_code == 200
    assert partials(response) == ["srs/recall_panel.html#recall-panel"]
    assertTemplateNotUsed(response, "base.html")
    body = response.content.decode().strip()
    assert body.startswith('<section id="recall-panel"') and "<html" not in body  # replaces the placeholder of the same id
    assert "Not enough reviews yet" in body and "1 not seen yet" in body


def test_history_restore_gets_the_whole_page(signed_in: Client) -> None:
    response = signed_in.get(URL, headers=HX | {"HX-History-Restore-Request": "true"})
    assertContains(response, "<html")


def test_unseen_cards_per_topic_with_a_study_link_before_any_review(signed_in: Client) -> None:
    response = signed_in.get(URL, {"course": "demo"}, headers=HX)
    assertContains(response, "3 not seen yet")  # the three containers cards
    assertContains(response, 'href="/study/review/?topic=containers"')
    assertNotContains(response, "Predicted recall")  # nothing seen, nothing to predict


def test_a_learner_sees_only_their_own_recall(client: Client, learner: User, cards: list[Card]) -> None:
    rate(learner, cards[0], 4)
    client.force_login(UserFactory())
    response = client.get(URL, {"course": "demo"}, headers=HX)
    assertNotContains(response, "Predicted recall")
    assertContains(response, "3 not seen yet")


def test_without_a_course_every_course_is_listed(signed_in: Client) -> None:
    assertContains(signed_in.get(URL), "3 not seen yet")


def test_unknown_course_is_404(signed_in: Client) -> None:
    assert signed_in.get(URL, {"course": "nope"}).status_code == 404


def test_visitors_are_sent_to_log_in(client: Client, demo_course: Course) -> None:
    assertRedirects(client.get(URL, headers=HX), f"/accounts/login/?next={URL}", fetch_redirect_response=False)


def test_only_get(signed_in: Client) -> None:
    assert signed_in.post(URL).status_code == 405


def test_private_to_the_learner_and_varies_on_htmx(signed_in: Client) -> None:
    response = signed_in.get(URL)
    assert "private" in response.headers["Cache-Control"]
    assert "HX-Request" in response.headers["Vary"]
