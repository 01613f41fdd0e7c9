"""An author imports a GIFT file with one broken question: the preview names its line, the confirm
imports the rest as drafts, and the summary links to the bank. axe-core on each page."""

from pathlib import Path

from playwright.sync_api import expect

from studyapp.accounts.models import Role
from studyapp.authoring.models import Category
from studyapp.questions.models import Question, Status
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, log_in, screenshot

GIFT = """$CATEGORY: $course$/top/Mine/Lambda

// [id:lambda-serverless] [tag:domain-3]
::Serverless::Which service runs code without servers?{=AWS Lambda#Right: no servers to manage.~Amazon EC2#EC2 gives you servers.####Lambda runs your code on demand.}

::Memory::How many GB of memory can a Lambda function have at most?{#ten}

::Billing::Lambda bills per millisecond of duration.{TRUE}
"""


def test_an_author_imports_a_file_with_one_broken_question(live_server, course, page: WatchedPage, tmp_path: Path):
    author = UserFactory(username="writer", role=Role.AUTHOR)
    Category.objects.create(path="$course$/top/Mine", owner=author, created_at=NOW)
    upload = tmp_path / "lambda.gift.txt"
    upload.write_text(GIFT, encoding="utf-8")

    log_in(page, live_server.url, "writer", "/author/import/")
    expect(page.get_by_role("heading", name="Import questions")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_label("Format").select_option("gift")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("Nothing is imported until you confirm: 2 will be created, 1 not readable.")).to_be_visible()
    expect(page.get_by_role("row", name="6 Memory")).to_contain_text("Problem: not a number: 'ten'")
    expect(page.get_by_role("row", name="4 Serverless")).to_contain_text("Will be created")
    screenshot(page, "85-authoring-import-preview")
    assert axe_violations(page) == []
    assert not Question.objects.filter(category__startswith="$course$/top/Mine").exists()

    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("heading", name="Import done")).to_be_visible()
    expect(page.get_by_text("2 created, 1 not readable.")).to_be_visible()
    expect(page.get_by_role("link", name="Open the question bank")).to_have_attribute("href", "/author/questions/")
    screenshot(page, "86-authoring-import-done")
    assert axe_violations(page) == []
    assert sorted(Question.objects.filter(category__startswith="$course$/top/Mine").values_list("source_key", "status")) == [
        ("", Status.DRAFT),
        ("lambda-serverless", Status.DRAFT),
    ]

    page.goto(f"{live_server.url}/author/export/?check=aiken&category=$course$/top/Mine")
    expect(page.get_by_text("1 question can be written, 1 left out")).to_be_visible()
    screenshot(page, "87-authoring-export")
    assert axe_violations(page) == []
    assert page.console_errors == []
