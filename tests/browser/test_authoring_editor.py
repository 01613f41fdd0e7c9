"""An author writes a question watching the live preview, saves it as a draft, publishes it, edits it
into a second version and reads the word-level diff; the editor also works without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from studyapp.accounts.models import Role
from studyapp.authoring.models import Category
from studyapp.questions.models import Question, Status
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, log_in, screenshot

MINE = "$course$/top/Mine"


@pytest.fixture
def author(transactional_db):
    user = UserFactory(username="writer", role=Role.AUTHOR)
    Category.objects.create(path=MINE, owner=user, created_at=NOW)
    return user


def test_an_author_writes_with_the_live_preview_saves_publishes_and_reads_the_diff(live_server, author, page: WatchedPage):
    log_in(page, live_server.url, "writer", "/author/questions/new/?kind=single")
    page.wait_for_url(re.compile(r"/author/questions/new/"))
    preview = page.locator("#preview")
    expect(preview).to_contain_text("the preview follows as you write")
    page.get_by_label("Name").fill("Serverless compute")
    page.get_by_label("Question text").press_sequentially("Which service runs **code** without servers?", delay=5)
    expect(preview.locator("strong")).to_have_text("code")  # the preview follows the typing
    page.locator("#id_opt-0-text").fill("AWS Lambda")
    page.locator("#id_opt-0-fraction").fill("100")
    page.locator("#id_opt-0-feedback").fill("Lambda runs code on demand. <script>alert(1)</script>")
    for index, text in enumerate(["Amazon EC2", "Amazon S3", "Amazon RDS"], 1):
        page.locator(f"#id_opt-{index}-text").fill(text)
    expect(preview).to_contain_text("Right: 100 %")
    expect(preview).to_contain_text("<script>alert(1)</script>")  # shown as typed, never run
    page.get_by_label("Exam domain").select_option("domain-3")
    screenshot(page, "80-authoring-editor-preview")
    assert axe_violations(page) == []

    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/author/questions/\d+/$"))
    expect(page.get_by_role("status").first).to_contain_text("Saved as a draft")
    expect(page.locator(".status-badge")).to_have_text("Draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".status-badge")).to_have_text("Published")
    question = Question.objects.get()
    assert question.status == Status.PUBLISHED and Question.objects.published().count() == 1
    screenshot(page, "81-authoring-question")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Edit").click()
    stem = page.get_by_label("Question text")
    stem.fill("Which service runs your code without managing servers?")
    expect(page.locator("#preview")).to_contain_text("without managing servers")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved as version 2.")
    page.get_by_role("link", name="Compare versions").click()
    diff = page.locator(".diff")
    expect(diff.locator("ins").first).to_contain_text("your")
    expect(diff.locator("del").first).to_have_text("removed: **")  # the bold marks around "code"
    screenshot(page, "82-authoring-history")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_the_editor_works_without_javascript(live_server, author, no_js_page: WatchedPage):
    page = no_js_page
    log_in(page, live_server.url, "writer", "/author/questions/new/?kind=multiple")
    page.wait_for_url(re.compile(r"/author/questions/new/"))
    page.get_by_label("Name").fill("Two right")
    page.get_by_label("Question text").fill("Pick *two*.")
    for index, (text, grade) in enumerate([("A", "50"), ("B", "40"), ("C", "")]):
        page.locator(f"#id_opt-{index}-text").fill(text)
        page.locator(f"#id_opt-{index}-fraction").fill(grade)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview em")).to_have_text("two")
    expect(page.locator(".editor-options .field-errors")).to_contain_text("add up to 90 %")
    page.get_by_role("button", name="Add more options").click()
    expect(page.locator("#id_opt-8-text")).to_be_visible()
    expect(page.locator("#id_opt-0-text")).to_have_value("A")
    page.locator("#id_opt-1-fraction").fill("50")
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/author/questions/\d+/$"))
    expect(page.locator(".status-badge")).to_have_text("Draft")
    screenshot(page, "83-authoring-no-js-saved")
