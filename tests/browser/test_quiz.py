"""A practice quiz by keyboard, with axe-core on the setup, question, feedback and results pages."""

import re
from typing import cast

from playwright.sync_api import ConsoleMessage, expect

from studyapp.quizzes.models import AttemptQuestion
from studyapp.srs.models import ReviewState

from .conftest import SHOTS, WatchedPage, axe_violations, screenshot
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
    page.get_by_role("button", name="Review and submit").click()
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


def test_a_second_tab_learns_the_mock_was_submitted_and_its_clock_stops(live_server, course, page: WatchedPage, settings):
    settings.STUDYAPP_MOCK = {"questions": 5, "minutes": 10}
    log_in(page, live_server.url, "/quiz/mock/")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url(re.compile(r"/quiz/mock/\d+/1/$"), wait_until="load")
    other = cast(WatchedPage, page.context.new_page())  # a second tab of the same browser: the same session
    other.console_errors = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            other.console_errors.append(message.text)

    other.on("console", record)
    other.goto(page.url)
    expect(other.get_by_role("timer")).to_contain_text("Time left")

    page.get_by_role("button", name="Review and submit").click()
    page.get_by_role("button", name="Submit the exam").click()
    page.wait_for_url(re.compile(r"/results/$"))

    other.locator(".quiz-option").first.click()  # the other tab autosaves: refused
    alert = other.get_by_role("alert")
    expect(alert).to_contain_text("This exam was submitted in another tab")
    clock = other.locator(".countdown-clock").inner_text()
    other.wait_for_timeout(2_500)
    assert other.locator(".countdown-clock").inner_text() == clock  # the timer stopped
    expect(other.get_by_role("button", name="Next")).to_be_disabled()
    screenshot(other, "24-mock-other-tab")
    assert axe_violations(other) == []
    assert all("409" in error for error in other.console_errors), other.console_errors  # the refused save, nothing else
    alert.get_by_role("link", name="See your results").click()
    other.wait_for_url(re.compile(r"/results/$"))
    expect(other.get_by_text("of 1000 (700 passes)")).to_be_visible()
    assert AttemptQuestion.objects.filter(answered_at__isnull=False).count() == 0


def test_the_mock_map_shows_answered_flagged_and_current_and_counts_as_answers_are_saved(live_server, course, page: WatchedPage, settings):
    settings.STUDYAPP_MOCK = {"questions": 8, "minutes": 10}
    log_in(page, live_server.url, "/quiz/mock/")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url(re.compile(r"/quiz/mock/\d+/1/$"), wait_until="load")
    questions = page.get_by_role("navigation", name="Questions")
    expect(page.locator("#mock-answered")).to_have_text("0 of 8 answered")
    page.locator(".quiz-option").first.click()
    expect(page.locator("#mock-answered")).to_have_text("1 of 8 answered")  # no navigation: out of band
    expect(questions.get_by_role("button", name="Question 1, answered, this question")).to_be_visible()
    page.get_by_role("button", name="Flag for review").click()
    expect(questions.get_by_role("button", name="Question 1, answered, flagged, this question")).to_be_visible()
    questions.get_by_role("button", name="Question 3, not answered").click()
    page.wait_for_url(re.compile(r"/3/$"), wait_until="load")
    page.locator(".quiz-option").nth(1).click()
    page.get_by_role("button", name="Flag for review").click()
    expect(questions.get_by_role("button", name="Question 3, answered, flagged, this question")).to_be_visible()
    expect(page.locator("#mock-answered")).to_have_text("2 of 8 answered")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"/4/$"), wait_until="load")
    page.get_by_role("button", name="Flag for review").click()
    expect(questions.get_by_role("button", name="Question 4, not answered, flagged, this question")).to_be_visible()
    # Shapes, not only colours: a tick for answered, a corner for flagged, a bar for the current one.
    marks = questions.locator(".map-button").evaluate_all(
        """buttons => buttons.slice(0, 4).map(b => [getComputedStyle(b, '::after').content, getComputedStyle(b, '::before').borderRightWidth, getComputedStyle(b).boxShadow !== 'none'])"""
    )
    assert [m[0] for m in marks] == ['"✓"', "none", '"✓"', "none"]
    assert [m[1] != "0px" for m in marks] == [True, False, True, True]
    assert [m[2] for m in marks] == [False, False, False, True]
    expect(questions.get_by_text("This question")).to_be_visible()  # the legend
    questions.screenshot(path=str(SHOTS / "25-mock-map.png"))
    screenshot(page, "26-mock-question")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_mock_by_keyboard_with_an_option_struck_out(live_server, course, page: WatchedPage, settings):
    settings.STUDYAPP_MOCK = {"questions": 5, "minutes": 10}
    log_in(page, live_server.url, "/quiz/mock/")
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url(re.compile(r"/quiz/mock/\d+/1/$"), wait_until="load")
    expect(page.locator(".keyboard-help")).to_be_visible()
    page.keyboard.press("b")  # choose B: autosaved
    expect(page.locator(".quiz-option").nth(1).locator("input")).to_be_checked()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.keyboard.press("f")  # flag
    expect(page.get_by_role("button", name=re.compile("remove flag"))).to_be_visible()
    strike = page.get_by_role("button", name="Strike out option C")
    strike.focus()
    page.keyboard.press("Space")
    expect(strike).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".quiz-option-row").nth(2)).to_have_class(re.compile("is-struck"))
    screenshot(page, "27-mock-struck-out")
    assert axe_violations(page) == []
    page.locator("body").click(position={"x": 5, "y": 300})  # focus away from the button
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r"/2/$"), wait_until="load")
    page.keyboard.press("p")
    page.wait_for_url(re.compile(r"/1/$"), wait_until="load")
    expect(page.locator(".quiz-option").nth(1).locator("input")).to_be_checked()
    expect(page.get_by_role("button", name="Strike out option C")).to_have_attribute("aria-pressed", "true")  # kept in this tab
    slot = AttemptQuestion.objects.get(position=1)
    assert slot.flagged and slot.selected
    assert page.console_errors == []


def test_the_public_sample_the_two_modes_and_abandoning_pass_axe(live_server, course, page: WatchedPage):
    page.goto(live_server.url + "/quiz/")  # a visitor
    expect(page.get_by_role("heading", name="Try a sample question")).to_be_visible()
    page.locator(".quiz-option").first.click()
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".quiz-review")).to_be_visible()
    screenshot(page, "28-quiz-sample")
    assert axe_violations(page) == []
    log_in(page, live_server.url, "/quiz/mock/")
    expect(page.get_by_role("button", name="Start review mode")).to_be_visible()
    screenshot(page, "29-mock-start")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start review mode").click()
    page.wait_for_url(re.compile(r"/quiz/attempts/\d+/1/$"), wait_until="load")
    page.keyboard.press("a")
    page.keyboard.press("Enter")
    expect(page.locator(".quiz-review")).to_be_visible()  # feedback after the question
    page.goto(live_server.url + "/quiz/")
    page.get_by_role("link", name="Abandon").click()
    expect(page.get_by_role("heading", name="Abandon this mock exam (review mode)?")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Abandon it").click()
    expect(page.get_by_text("No attempt yet.")).to_be_visible()
    assert page.console_errors == []
