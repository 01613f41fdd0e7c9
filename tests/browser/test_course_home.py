"""A learner's course home: the readiness and recall panels load lazily from quizzes and srs, and
without JavaScript each is a link to its own page."""

import random
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from studyapp.accounts.models import User
from studyapp.content.models import Card, Topic
from studyapp.quizzes import services as quizzes
from studyapp.srs import services as srs

from .conftest import WatchedPage, axe_violations, screenshot
from .test_study import log_in


def some_reviews_and_a_mock(user: User) -> None:
    """Cards in four topics reviewed three days ago (six of the first topic, enough for a prediction;
    three of each other, too few), and a mock exam with its first twenty questions answered."""
    then = timezone.now() - timedelta(days=3)
    for index, topic in enumerate(Topic.objects.live()[:4]):
        cards = Card.objects.live().filter(note__topic=topic).order_by("position")[: 6 if index == 0 else 3]
        for card, rating in zip(cards, [4, 3, 1, 4, 3, 4], strict=False):
            srs.record_review(user=user, kind="card", item_id=card.pk, revision=0, rating=rating, now=then)
    mock = quizzes.start_mock(user=user, now=then, rng=random.Random(7))
    for position in range(1, min(20, mock.slots.count()) + 1):
        quizzes.save_answer(user=user, attempt_id=mock.pk, position=position, shown=[0], now=then)
    quizzes.submit_mock(user=user, attempt_id=mock.pk, now=then + timedelta(minutes=30))


def test_the_learners_panels_load_into_the_course_home(live_server, course, page: WatchedPage) -> None:
    log_in(page, live_server.url, "/")
    some_reviews_and_a_mock(User.objects.get(username="keyboard"))
    page.goto(live_server.url + "/")
    readiness = page.locator("#readiness-panel")
    expect(readiness.get_by_role("heading", name="Exam readiness")).to_be_visible()
    expect(readiness.get_by_role("table", name="Readiness by exam domain")).to_be_visible()
    expect(readiness.get_by_text("Predicted recall", exact=True)).to_be_visible()  # the tile

    recall = page.locator("#recall-panel")
    recall.scroll_into_view_if_needed()  # lazy: loaded when revealed
    expect(recall.get_by_role("heading", name="Recall by topic")).to_be_visible()
    expect(recall.get_by_text(re.compile(r"Predicted recall \d+% of 6 cards seen")).first).to_be_visible()
    expect(recall.get_by_text("Not enough reviews yet to predict (3 cards seen)").first).to_be_visible()
    expect(recall.get_by_text(re.compile(r"\d+ not seen yet")).first).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "09-home-panels")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_without_javascript_each_panel_is_a_link_to_its_page(live_server, course, no_js_page: WatchedPage) -> None:
    log_in(no_js_page, live_server.url, "/")
    some_reviews_and_a_mock(User.objects.get(username="keyboard"))
    no_js_page.goto(live_server.url + "/")
    no_js_page.get_by_role("link", name="See your exam readiness").click()
    expect(no_js_page).to_have_url(re.compile(r"/quiz/panels/readiness/$"))
    expect(no_js_page.get_by_role("heading", name="Exam readiness")).to_be_visible()
    no_js_page.go_back()
    no_js_page.get_by_role("link", name="See your predicted recall by topic").click()
    expect(no_js_page).to_have_url(re.compile(r"/study/panels/recall/\?course=compute$"))
    expect(no_js_page.get_by_role("heading", name="Recall by topic")).to_be_visible()
    expect(no_js_page.get_by_text(re.compile(r"\d+ not seen yet")).first).to_be_visible()
