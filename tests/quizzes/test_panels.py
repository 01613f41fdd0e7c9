"""The readiness panel the course home lazy-loads: a page of its own, and its fragment for htmx."""

from typing import TYPE_CHECKING

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateNotUsed, assertTemplateUsed

from studyapp.accounts.models import User
from studyapp.content.models import Course
from studyapp.quizzes.models import Attempt
from tests.factories import UserFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response  # django-stubs' type of a test response

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
URL = "/quiz/panels/readiness/"


@pytest.fixture
def learner(db: None) -> User:
    return UserFactory()


@pytest.fixture
def signed_in(client: Client, learner: User, demo_course: Course) -> Client:
    client.force_login(learner)
    return client


@pytest.fixture
def after_a_mock(signed_in: Client) -> Client:
    signed_in.post("/quiz/mock/")
    signed_in.post(f"/quiz/mock/{Attempt.objects.get().pk}/submit/")  # nothing answered: a failing mock
    return signed_in


def partials(response: "Response") -> list[str]:
    """The partials rendered, as ``page#name`` (Django names a partial by its own name alone)."""
    return [f"{t.origin.template_name!s}#{t.name}" for t in response.templates if t.origin.template_name != t.name]


def test_full_page_without_htmx(after_a_mock: Client) -> None:
    response = after_a_mock.get(URL)
    assert response.status_code == 200
    assertTemplateUsed(response, "quizzes/readiness_panel.html")
    assertTemplateUsed(response, "base.html")
    assertContains(response, "<html")
    assertContains(response, "Exam readiness")
    assertContains(response, "Readiness by exam domain")
    assertContains(response, "Keep going")


def test_fragment_with_htmx(after_a_mock: Client) -> None:
    response = after_a_mock.get(URL, headers=HX)
    assert response.status_code == 200
    assert partials(response) == ["quizzes/readiness_panel.html#readiness-panel"]
    assertTemplateNotUsed(response, "base.html")
    body = response.content.decode().strip()
    assert body.startswith('<div id="readiness-panel">') and "<html" not in body  # replaces the placeholder of the same id
    assert "Exam readiness" in body and "Readiness by exam domain" in body and "Keep going" in body


def test_nothing_yet_is_an_empty_fragment_and_a_page_that_says_so(signed_in: Client) -> None:
    fragment = signed_in.get(URL, headers=HX)
    assert fragment.status_code == 200
    assertNotContains(fragment, "Exam readiness")  # as on the course home before: no panel until there is something to show
    assert " ".join(fragment.content.decode().split()) == '<div id="readiness-panel"> </div>'
    page = signed_in.get(URL)
    assertContains(page, "Nothing to show yet")
    assertContains(page, 'href="/quiz/mock/"')


def test_recall_alone_shows_the_panel_with_an_invitation_to_a_mock(signed_in: Client, learner: User, demo_course: Course) -> None:
    from studyapp.content.models import Card
    from studyapp.srs import services
    from tests.conftest import NOW

    card = Card.objects.live().order_by("position").first()
    services.record_review(user=learner, kind="card", item_id=card.pk, revision=0, rating=4, now=NOW)
    response = signed_in.get(URL, headers=HX)
    assertContains(response, "Exam readiness")
    assertContains(response, "Predicted recall")
    assertContains(response, "to see where you stand")


def test_a_learner_sees_only_their_own_mock(after_a_mock: Client) -> None:
    after_a_mock.force_login(UserFactory())
    assertNotContains(after_a_mock.get(URL, headers=HX), "Exam readiness")


def test_visitors_are_sent_to_log_in(client: Client, demo_course: Course) -> None:
    assertRedirects(client.get(URL, headers=HX), f"/accounts/login/?next={URL}", fetch_redirect_response=False)


def test_only_get(signed_in: Client) -> None:
    assert signed_in.post(URL).status_code == 405


def test_private_to_the_learner_and_varies_on_htmx(signed_in: Client) -> None:
    response = signed_in.get(URL)
    assert "private" in response.headers["Cache-Control"]
    assert "HX-Request" in response.headers["Vary"]
