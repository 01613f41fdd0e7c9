"""An instructor sees the class's readiness by exam domain load on the class page (lazily, as it
scrolls into view) and opens a learner's page from the roster. axe-core on each page."""

import random
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from studyapp.accounts.models import Role
from studyapp.classrooms import services
from studyapp.content.models import Card, Course, excluding_tag
from studyapp.quizzes import services as quizzes
from studyapp.quizzes.models import AttemptQuestion
from studyapp.srs import services as srs
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, log_in, screenshot


def study(user, cards: list[Card], *, days_ago: int, rating: int) -> None:
    for n, card in enumerate(cards):
        then = timezone.now() - timedelta(days=days_ago - n % max(days_ago, 1), minutes=5)
        srs.record_review(user=user, kind="card", item_id=card.pk, revision=0, rating=rating, now=then)


def mock(user, *, days_ago: int, right_share: float) -> None:
    started = timezone.now() - timedelta(days=days_ago)
    attempt = quizzes.start_mock(user=user, now=started, rng=random.Random(user.pk + days_ago))
    quizzes.submit_mock(user=user, attempt_id=attempt.pk, now=started + timedelta(minutes=60))
    slots = list(AttemptQuestion.objects.filter(attempt=attempt).order_by("position"))
    right = {s.pk for s in slots[: round(len(slots) * right_share)]}
    AttemptQuestion.objects.filter(pk__in=right).update(fraction=1, answered_at=started + timedelta(minutes=1))


def test_the_instructor_sees_the_class_readiness_and_a_learners_page(live_server, course, page: WatchedPage):
    teacher = UserFactory(username="teacher", role=Role.INSTRUCTOR, first_name="Ada", last_name="Teach")
    classroom = services.create_classroom(by=teacher, name="CLF-C02 evening group", course=Course.objects.first(), now=timezone.now())
    cards = list(excluding_tag(Card.objects.live(), quizzes.BEYOND_EXAM).order_by("position", "pk"))
    sam = UserFactory(username="sam", first_name="Sam", last_name="Study", email="sam@example.com")
    kim = UserFactory(username="kim", first_name="Kim", last_name="Known", email="kim@example.com")
    for user in (sam, kim):
        services.join_classroom(user=user, classroom=classroom, now=timezone.now() - timedelta(days=20))
    services.join_classroom(
        user=UserFactory(username="nell", first_name="Nell", last_name="New"), classroom=classroom, now=timezone.now()
    )  # nothing done yet
    study(sam, cards[:120], days_ago=12, rating=3)
    mock(sam, days_ago=9, right_share=0.55)
    mock(sam, days_ago=2, right_share=0.8)
    study(kim, cards[100:140], days_ago=3, rating=4)
    mock(kim, days_ago=1, right_share=0.6)

    log_in(page, live_server.url, "teacher", f"/classes/{classroom.pk}/")
    page.mouse.wheel(0, 3000)  # the panel loads once revealed (and replaces its placeholder)
    panel = page.locator("#class-readiness")
    expect(panel.get_by_role("heading", name="Class readiness by exam domain")).to_be_visible()
    expect(panel).to_contain_text("of 3 learners ready")
    expect(panel.get_by_role("row", name="3. Cloud Technology and Services")).to_be_visible()
    screenshot(page, "60-class-readiness")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Sam Study").click()
    expect(page.get_by_role("heading", name="Sam Study", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Mock exam scores over time")).to_be_visible()
    expect(page.get_by_role("heading", name="Predicted recall by topic")).to_be_visible()
    expect(page.get_by_role("table", name="Readiness by exam domain")).to_be_visible()
    screenshot(page, "61-class-learner-page")
    assert axe_violations(page) == []
    assert page.console_errors == []
