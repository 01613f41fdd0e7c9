"""The author's whole path, as the issue tells it: write a question watching the live preview, import
a GIFT file with one broken question, fix it and import again, publish from the bank, practise the
questions as "Questions I wrote", and export the bank. axe-core on each page; screenshots looked at."""

import re
from pathlib import Path

from playwright.sync_api import expect

from studyapp.accounts.models import Role
from studyapp.authoring.models import Category
from studyapp.questions.formats import gift
from studyapp.questions.models import Question, Status
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, log_in, screenshot

MINE = "$course$/top/Mine"
BROKEN = """$CATEGORY: $course$/top/Mine/Containers

// [id:ecr-store]
::Images::Where do you keep private container images on AWS?{=Amazon ECR#ECR is the registry.~Amazon ECS#ECS runs containers.~AWS Batch#Batch runs jobs.}

// [id:fargate-servers]
::Fargate::Fargate needs you to manage EC2 instances.{FALSE#It does not: AWS runs the servers.#Right: no servers to manage.}

// [id:lambda-memory]
::Memory::How many GB of memory can a Lambda function have at most?{#ten}
"""


def test_an_author_writes_imports_fixes_publishes_practises_and_exports(live_server, course, page: WatchedPage, tmp_path: Path):
    author = UserFactory(username="writer", role=Role.AUTHOR)
    Category.objects.create(path=MINE, owner=author, created_at=NOW)
    base = live_server.url

    # 1. write one question, watching the preview
    log_in(page, base, "writer", "/author/questions/new/?kind=single")
    page.wait_for_url(re.compile(r"/author/questions/new/"))
    page.get_by_label("Name").fill("Serverless compute")
    page.get_by_label("Question text").press_sequentially("Which service runs **code** without servers?", delay=5)
    expect(page.locator("#preview strong")).to_have_text("code")
    for index, (text, fraction) in enumerate([("AWS Lambda", "100"), ("Amazon EC2", ""), ("Amazon S3", ""), ("Amazon RDS", "")]):
        page.locator(f"#id_opt-{index}-text").fill(text)
        if fraction:
            page.locator(f"#id_opt-{index}-fraction").fill(fraction)
    page.get_by_label("Exam domain").select_option("domain-3")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/author/questions/\d+/$"))
    expect(page.locator(".status-badge")).to_have_text("Draft")

    # 2. import a file with a broken question: the preview names its line, and nothing is written
    upload = tmp_path / "containers.gift.txt"
    upload.write_text(BROKEN, encoding="utf-8")
    page.goto(f"{base}/author/import/")
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_label("Format").select_option("gift")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("row", name=re.compile(r"^10 Memory"))).to_contain_text("not a number: 'ten'")
    screenshot(page, "95-author-flow-import-broken")
    assert axe_violations(page) == []
    assert Question.objects.filter(author=author).count() == 1

    # 3. fix the file and import it again: all three, as drafts
    upload.write_text(BROKEN.replace("{#ten}", "{#10}"), encoding="utf-8")
    page.goto(f"{base}/author/import/")
    page.get_by_label("File", exact=True).set_input_files(str(upload))
    page.get_by_label("Format").select_option("gift")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_text("3 will be created")).to_be_visible()
    page.get_by_role("button", name="Confirm the import").click()
    expect(page.get_by_role("heading", name="Import done")).to_be_visible()
    assert Question.objects.filter(author=author, status=Status.DRAFT).count() == 4

    # 4. publish them all from the bank
    page.get_by_role("link", name="Open the question bank").click()
    expect(page.get_by_role("heading", name="Question bank")).to_be_visible()
    for title in ("Serverless compute", "Images", "Fargate", "Memory"):
        page.get_by_role("checkbox", name=f"Tick {title}").check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Published 4 questions.")
    screenshot(page, "96-author-flow-bank")
    assert axe_violations(page) == []
    assert Question.objects.filter(author=author, status=Status.PUBLISHED).count() == 4

    # 5. practise "Questions I wrote"
    page.goto(f"{base}/quiz/practice/")
    page.get_by_label("Questions I wrote (published ones)").check()
    page.get_by_label("Number of questions").fill("5")
    page.get_by_role("main").get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", name=re.compile(r"Question 1 of 4"))).to_be_visible()
    screenshot(page, "97-author-flow-practice")
    assert axe_violations(page) == []

    # 6. export the bank as GIFT: what was written comes back
    page.goto(f"{base}/author/export/")
    assert axe_violations(page) == []
    page.locator("#id_format").select_option("gift")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    parsed = gift.parse(exported)
    assert not parsed.errors
    assert {q.name for q in parsed.questions} >= {"Serverless compute", "Images", "Fargate", "Memory"}
    assert page.console_errors == []
