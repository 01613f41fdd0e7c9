"""An instructor creates a class and shares its link; a learner joins by it; the instructor sees
them on the roster and downloads the gradebook. axe-core on each page."""

import csv
import io

from playwright.sync_api import Browser, Page, expect

from studyapp.accounts.models import Role
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, screenshot

PASSWORD = "correct horse battery staple"


def log_in(page: Page, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


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
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the gradebook (CSV)").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Username" and rows[1][:3] == ["student", "Sam Study", "sam@example.com"]
    assert page.console_errors == []
