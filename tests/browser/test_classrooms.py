"""An instructor creates a class and shares its link; a learner joins by it; the instructor sees
them on the roster and downloads the gradebook. axe-core on each page."""

import csv
import io

from playwright.sync_api import Browser, expect

from studyapp.accounts.models import Role
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, log_in, screenshot


def test_an_instructor_creates_a_class_and_a_learner_joins_by_its_link(live_server, course, page: WatchedPage, browser: Browser):
    UserFactory(username="teacher", role=Role.INSTRUCTOR, first_name="Ada", last_name="Teach")
    UserFactory(username="student", first_name="Sam", last_name="Study", email="sam@example.com")

    log_in(page, live_server.url, "teacher", "/classes/")
    expect(page.get_by_role("heading", name="Classes", exact=True)).to_be_visible()
    page.get_by_role("link", name="New class").click()
    assert axe_violations(page) == []
    page.get_by_label("Class name").fill("CLF-C02 evening group")
    page.get_by_role("button", name="Create the class").click()
    expect(page.get_by_role("heading", name="CLF-C02 evening group")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Share its join link")
    link = page.locator(".join-link a").inner_text()
    assert "/classes/join/" in link
    assert axe_violations(page) == []

    learner = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True).new_page()
    log_in(learner, live_server.url, "student", link.removeprefix(live_server.url))
    expect(learner.get_by_role("heading", name="Join “CLF-C02 evening group”")).to_be_visible()
    assert axe_violations(learner) == []
    learner.get_by_role("button", name="Join the class").click()
    expect(learner.get_by_role("heading", name="CLF-C02 evening group")).to_be_visible()
    expect(learner.get_by_text("Ada Teach")).to_be_visible()
    expect(learner.locator(".join-code")).to_have_count(0)  # a learner never sees the code or the roster
    screenshot(learner, "50-class-learner")
    assert axe_violations(learner) == []

    page.reload()
    expect(page.get_by_role("row", name="Sam Study")).to_be_visible()
    screenshot(page, "51-class-instructor")

    # The instructor imports a roster: one existing account, one new address (invited by mail).
    UserFactory(username="kim", first_name="Kim", last_name="Known", email="kim@example.com")
    page.get_by_role("link", name="Import a roster (CSV)").click()
    page.get_by_label("Or paste the rows").fill("email;name\nkim@example.com;Kim Known\nnew.person@example.com;New Person\n")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("row", name="Kim Known")).to_be_visible()

    # ... and sets a quiz due in a week.
    page.get_by_role("link", name="A quiz").click()
    expect(page.get_by_role("heading", name="Set work")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Title").fill("Compute check")
    page.get_by_label("Drawn from chosen exam domains").check()
    page.get_by_label("Cloud Technology and Services").check()
    page.get_by_label("How many questions").fill("3")
    page.get_by_label("Shuffle the questions").check()
    screenshot(page, "52-assignment-new")
    page.get_by_role("button", name="Set this work").click()
    expect(page.get_by_role("heading", name="Compute check")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("set for the class")
    assert axe_violations(page) == []

    # The learner sees it due, takes it in the exam pages and submits.
    learner.goto(f"{live_server.url}/classes/")
    expect(learner.get_by_role("heading", name="Due")).to_be_visible()
    learner.get_by_role("link", name="Compute check").click()
    learner.get_by_role("button", name="Start the quiz").click()
    expect(learner.get_by_text("No time limit")).to_be_visible()
    for position in (1, 2, 3):
        expect(learner.get_by_role("heading", name=f"Question {position} of 3")).to_be_visible()
        learner.locator(".quiz-option").first.click()
        learner.get_by_role("button", name="Next" if position < 3 else "Review answers", exact=True).click()
    expect(learner.get_by_role("heading", name="Review before submitting")).to_be_visible()
    assert axe_violations(learner) == []
    learner.get_by_role("button", name="Submit the exam").click()
    expect(learner.get_by_role("heading", name="Results")).to_be_visible()
    screenshot(learner, "53-assigned-results")
    assert axe_violations(learner) == []

    # The instructor sees the grade, the item statistics, and exports the gradebook.
    page.reload()
    page.get_by_role("link", name="Item statistics").click()
    expect(page.get_by_role("heading", name="Item statistics: Compute check")).to_be_visible()
    screenshot(page, "54-item-statistics")
    assert axe_violations(page) == []
    page.get_by_role("link", name="CLF-C02 evening group").first.click()
    page.get_by_role("link", name="Open the gradebook").click()
    expect(page.get_by_role("row", name="Sam Study")).to_contain_text("Graded")
    screenshot(page, "55-gradebook")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Username" and rows[0][-2:] == ["Compute check (%)", "Compute check: status"]
    by_user = {row[0]: row for row in rows[1:]}
    assert by_user["student"][1:3] == ["Sam Study", "sam@example.com"] and by_user["student"][-1] == "graded"
    assert by_user["kim"][-1].startswith("not started")
    assert page.console_errors == []
