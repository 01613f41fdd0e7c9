"""An author regrades a question whose key changed: reads the dry run (the learner, old → new), is
asked to confirm, applies it through htmx, and sees the message and the audit. axe-core on each state."""

import random
from datetime import timedelta
from decimal import Decimal

from playwright.sync_api import expect

from studyapp.accounts.models import Role
from studyapp.authoring.models import Category
from studyapp.questions import services as question_services
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import Status
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.models import AttemptQuestion
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, log_in, screenshot

TEXTS = ("Amazon EC2", "AWS Lambda", "AWS Fargate", "Amazon Lightsail")


def keyed(right: int) -> QuestionContent:
    choices = tuple(Choice(text=text, fraction=Decimal(int(i == right))) for i, text in enumerate(TEXTS))
    return QuestionContent(kind=Kind.SINGLE, stem="Which service runs code without provisioning servers?", choices=choices)


def assert_accessible(page: WatchedPage) -> None:
    """No serious axe-core violation. axe leaves an empty ``style`` attribute on elements it
    measured; htmx's attribute settling would copy it onto the swapped-in twins (same id), which
    the CSP (style-src 'self') refuses and logs. They are removed so the console stays the page's."""
    violations = axe_violations(page)
    page.evaluate("() => document.querySelectorAll('[style=\"\"]').forEach(element => element.removeAttribute('style'))")
    assert violations == [], violations


def test_an_author_reads_the_dry_run_confirms_and_applies_a_regrade(live_server, transactional_db, page: WatchedPage):
    author = UserFactory(username="author", role=Role.AUTHOR, first_name="Ada", last_name="Author")
    Category.objects.create(path="$course$/top/Mine", owner=author, created_at=NOW)
    question = question_services.create_question(
        content=keyed(0), by=author, now=NOW, source_key="serverless-compute", category="$course$/top/Mine", status=Status.PUBLISHED
    )
    learner = UserFactory(username="sam", first_name="Sam", last_name="Study")
    attempt = quiz_services.start_questions(user=learner, question_ids=[question.pk], now=NOW, rng=random.Random(1))
    slot = attempt.slots.get()
    quiz_services.answer(user=learner, attempt_id=attempt.pk, position=1, shown=[slot.option_order.index(1)], now=NOW)
    question_services.add_version(question=question, content=keyed(1), by=author, now=NOW + timedelta(days=1))

    log_in(page, live_server.url, "author", f"/author/questions/{question.pk}/regrade/")
    expect(page.get_by_role("heading", name="Regrade serverless-compute")).to_be_visible()
    expect(page.get_by_role("row", name="Sam Study")).to_contain_text("0 → 1")
    screenshot(page, "90-regrade-dry-run")
    assert_accessible(page)

    page.get_by_role("button", name="Apply the regrade").click()
    expect(page.get_by_text("Tick the box to confirm")).to_be_visible()
    assert AttemptQuestion.objects.get(pk=slot.pk).fraction == 0
    assert_accessible(page)

    page.get_by_label("I have checked the list: re-mark these answers").check()
    page.get_by_role("button", name="Apply the regrade").click()
    expect(page.get_by_role("status")).to_contain_text("Regraded 1 answer to version 2's key.")
    expect(page.get_by_text("No mark would change")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Ada Author re-marked 1 answer from version 1 to version 2")).to_be_visible()
    assert AttemptQuestion.objects.get(pk=slot.pk).fraction == 1
    screenshot(page, "91-regrade-applied")
    assert_accessible(page)
    assert page.console_errors == []
