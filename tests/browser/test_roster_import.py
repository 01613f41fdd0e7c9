"""An instructor imports a roster: uploads a CSV file from Excel (BOM, semicolons), sees the
preview row by row, confirms, and finds the learners on the class's roster. axe-core on each page."""

import re
from pathlib import Path

from playwright.sync_api import Browser, expect

from studyapp.accounts.models import Role
from studyapp.classrooms import services
from studyapp.classrooms.models import Invitation
from studyapp.content.models import Course
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, log_in, screenshot


def test_an_instructor_uploads_a_roster_previews_it_and_confirms(live_server, course, page: WatchedPage, browser: Browser, tmp_path: Path):
    teacher = UserFactory(username="teacher", role=Role.INSTRUCTOR, first_name="Ada", last_name="Teach")
    classroom = services.create_classroom(by=teacher, name="CLF-C02 evening group", course=Course.objects.first(), now=NOW)
    UserFactory(username="sam", first_name="Sam", last_name="Study", email="sam@example.com")
    UserFactory(username="lee", first_name="Lee", last_name="Learn", email="lee@example.com")
    bad = tmp_path / "bad.csv"
    bad.write_bytes("\ufeffE-mail;Name\r\nsam@example.com;Sam Study\r\nlee.example.com;Lee Learn\r\n".encode())
    good = tmp_path / "roster.csv"
    good.write_bytes(
        "\ufeffE-mail;Name\r\nSAM@example.com;Sam Study\r\nlee@example.com;Lee Learn\r\nnoor@example.com;Noor Nouveau\r\n".encode()
    )

    log_in(page, live_server.url, "teacher", f"/classes/{classroom.pk}/")
    page.get_by_role("link", name="Import a roster (CSV)").click()
    expect(page.get_by_role("heading", name="Import a roster")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported.")
    expect(page.get_by_role("row", name="3 lee.example.com")).to_contain_text("is not an email address")
    expect(page.get_by_role("button", name="Confirm the import")).to_have_count(0)
    screenshot(page, "56-roster-problems")
    assert axe_violations(page) == []

    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("2 to enrol, 1 to invite by mail.")).to_be_visible()
    expect(page.get_by_role("row", name="4 noor@example.com")).to_contain_text("an invitation to sign up is mailed")
    screenshot(page, "57-roster-preview")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("heading", name="CLF-C02 evening group")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("2 enrolled, 1 invited by mail.")
    expect(page.get_by_role("row", name="Sam Study")).to_be_visible()
    expect(page.get_by_role("row", name="Lee Learn")).to_be_visible()
    page.get_by_role("row", name="Lee Learn").scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")  # the lazy panels above the roster have loaded: the page keeps its height
    screenshot(page, "58-roster-imported")
    assert axe_violations(page) == []
    assert page.console_errors == []

    token = Invitation.objects.get(classroom=classroom, email="noor@example.com").token
    visitor = browser.new_context(viewport={"width": 390, "height": 800}, is_mobile=True).new_page()
    visitor.goto(f"{live_server.url}/classes/invitations/{token}/")
    expect(visitor.get_by_role("heading", name="You are invited to “CLF-C02 evening group”")).to_be_visible()
    expect(visitor.get_by_role("main").get_by_role("link", name="Sign up")).to_have_attribute(
        "href", re.compile(r"^/accounts/signup/\?next=")
    )
    screenshot(visitor, "59-roster-invitation")
    assert axe_violations(visitor) == []
