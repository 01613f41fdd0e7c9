"""A learner studies by keyboard only, then looks at the statistics; axe-core on each screen."""

import re

from playwright.sync_api import Page, expect

from studyapp.srs.models import ReviewLog, ReviewState
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, screenshot


def log_in(page: Page, base: str, next_url: str) -> None:
    UserFactory(username="keyboard")
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill("keyboard")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def test_a_whole_session_by_keyboard(live_server, course, page: WatchedPage):
    log_in(page, live_server.url, "/study/")
    expect(page.get_by_role("heading", name="Study", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Study Amazon Lightsail").click()  # one topic's cards
    page.wait_for_url(re.compile("topic=lightsail"), wait_until="load")  # the keyboard script is loaded
    expect(page.locator(".study-scope")).to_contain_text("Amazon Lightsail")

    for number in range(3):
        expect(page.locator(".flip")).to_be_visible()  # a card's front
        page.keyboard.press("Space")
        expect(page.locator(".grade-form")).to_be_visible()
        if number == 0:
            expect(page.locator(".grade-3 .grade-interval")).to_have_text("10m")
            screenshot(page, "10-study-back")
            assert axe_violations(page) == []
        page.keyboard.press("3")
        expect(page.locator(".queue-counts")).to_contain_text(f"{number + 1} learning")  # htmx swapped in the next card

    assert ReviewLog.objects.count() == 3
    page.keyboard.press("u")  # undo the third review: that card is shown again
    expect(page.locator(".queue-counts")).to_contain_text("2 learning")
    expect(page.locator(".flip")).to_be_visible()
    assert ReviewLog.objects.filter(undo__isnull=True).count() == 2
    page.keyboard.press("Space")
    expect(page.locator(".grade-form")).to_be_visible()
    page.keyboard.press("1")
    expect(page.locator(".queue-counts")).to_contain_text("3 learning")
    assert ReviewState.objects.filter(state="learning").count() == 3
    assert page.console_errors == []

    page.get_by_role("link", name="Flashcards").click()
    page.get_by_role("link", name="Statistics").click()
    expect(page.get_by_role("heading", name="Statistics")).to_be_visible()
    expect(page.locator("svg.chart")).to_have_count(3)
    screenshot(page, "11-stats")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_without_javascript_studying_is_plain_forms(live_server, course, no_js_page: WatchedPage):
    log_in(no_js_page, live_server.url, "/study/review/")
    no_js_page.get_by_role("link", name=re.compile("Show answer")).click()
    no_js_page.get_by_role("button", name=re.compile("^Good")).click()
    expect(no_js_page).to_have_url(re.compile(r"/study/review/$"))
    assert ReviewLog.objects.get().rating == 3


def test_settings_and_leeches_pages_are_accessible(live_server, course, page: WatchedPage):
    log_in(page, live_server.url, "/study/settings/")
    expect(page.get_by_role("heading", name="Study settings")).to_be_visible()
    page.get_by_label("Desired retention").fill("0.99")
    page.get_by_role("main").get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("less than or equal to 0.97")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(live_server.url + "/study/leeches/")
    expect(page.get_by_role("heading", name="Leeches")).to_be_visible()
    assert axe_violations(page) == []
    assert page.console_errors == []
