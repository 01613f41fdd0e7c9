"""A practice quiz by keyboard, with axe-core on the setup, question, feedback and results pages."""

import re

from playwright.sync_api import expect

from studyapp.quizzes.models import AttemptQuestion
from studyapp.srs.models import ReviewState

from .conftest import WatchedPage, axe_violations, screenshot
from .test_study import log_in


def test_a_practice_quiz_by_keyboard(live_server, course, page: WatchedPage):
    log_in(page, live_server.url, "/quiz/practice/")
    expect(page.get_by_role("heading", name="Practice quiz")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("checkbox", name="AWS Lambda").check()
    page.get_by_label("Number of questions").fill("5")
    page.get_by_role("main").get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+/1/$"), wait_until="load")
    assert axe_violations(page) == []

    for number in range(1, 6):
        expect(page.get_by_role("heading", name=f"Question {number} of 5")).to_be_visible()
        page.keyboard.press("a")  # choose A
        page.keyboard.press("Enter")  # check
        expect(page.locator(".quiz-review")).to_be_visible()
        if number == 1:
            screenshot(page, "20-quiz-feedback")
            assert axe_violations(page) == []
        page.keyboard.press("Enter")  # go on
        if number < 5:
            page.wait_for_url(re.compile(rf"/{number + 1}/$"), wait_until="load")

    page.wait_for_url(re.compile(r"/results/$"), wait_until="load")
    expect(page.get_by_role("heading", name="Results")).to_be_visible()
    expect(page.get_by_text("By exam domain")).to_be_visible()
    screenshot(page, "21-quiz-results")
    assert axe_violations(page) == []
    assert AttemptQuestion.objects.filter(answered_at__isnull=False).count() == 5
    missed = AttemptQuestion.objects.exclude(fraction=1).count()
    assert ReviewState.objects.filter(question__isnull=False).count() == missed  # missed ones are due for review
    assert page.console_errors == []


def test_a_short_mock_with_a_flag_the_review_screen_and_expiry(live_server, course, page: WatchedPage, settings):
    settings.STUDYAPP_MOCK = {"questions": 5, "minutes": 0.3, "grace_seconds": 2}  # 18 seconds
    log_in(page, live_server.url, "/quiz/mock/")
    expect(page.get_by_text("5 questions")).to_be_visible()
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url(re.compile(r"/quiz/mock/\d+/1/$"), wait_until="load")
    expect(page.get_by_role("timer")).to_contain_text("Time left")
    page.locator(".quiz-option").first.click()
    expect(page.locator("#save-status")).to_contain_text("Saved at")  # autosaved by htmx
    page.get_by_role("button", name="Flag for review").click()
    expect(page.get_by_role("button", name=re.compile("remove flag"))).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_text("1 flagged")).to_be_visible()
    expect(page.get_by_text("4 unanswered")).to_be_visible()
    screenshot(page, "22-mock-review")
    assert axe_violations(page) == []
    # Wait for the clock: the page reloads itself and the server submits what was saved.
    page.wait_for_url(re.compile(r"/results/$"), timeout=30_000)
    expect(page.get_by_text("Time is up: your saved answers were submitted.")).to_be_visible()
    expect(page.get_by_text("of 1000 (700 passes)")).to_be_visible()
    screenshot(page, "23-mock-results")
    assert axe_violations(page) == []
    assert AttemptQuestion.objects.filter(answered_at__isnull=False).count() == 1
