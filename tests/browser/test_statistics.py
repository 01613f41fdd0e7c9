"""An instructor reads a quiz assignment's item statistics: the summary, a question flagged for
review with its link into the notes, the table sorted by an index (htmx, the address pushed), the
answers per option, and the CSV. axe-core on the page."""

import csv
import io
import re
from datetime import timedelta

from playwright.sync_api import expect

from studyapp.accounts.models import Role
from studyapp.classrooms import services
from studyapp.classrooms.models import Assignment
from studyapp.content.models import QuestionPlacement
from studyapp.questions.content import Kind, Policy, grade
from studyapp.questions.models import Question
from studyapp.quizzes.models import Attempt, AttemptQuestion, Mode
from tests.classrooms.conftest import fixed_quiz
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import WatchedPage, axe_violations, log_in, screenshot

# Eight learners, four questions: 1 right, 0 a wrong option, None left unanswered. Question 1 is
# right for everyone (no discrimination index); question 4 is right for the weaker learners.
MARKS = [
    [1, 1, 1, 0],
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 1, 1, 1],
    [1, 0, 0, 1],
    [1, 1, 0, 1],
    [1, 0, 0, 1],
    [1, None, 0, 0],
]


def quiz_with_attempts() -> tuple[Assignment, list[Question]]:
    teacher = UserFactory(username="teacher", role=Role.INSTRUCTOR, first_name="Ada", last_name="Teach")
    classroom = services.create_classroom(
        by=teacher, name="CLF-C02 evening group", course=QuestionPlacement.objects.first().course, now=NOW
    )
    questions = [
        q for q in Question.objects.published().filter(kind=Kind.SINGLE, placement__note__isnull=False).order_by("placement__position")[:4]
    ]
    assignment = fixed_quiz(teacher, classroom, [q.pk for q in questions], title="Week 1: compute")
    quiz = assignment.quiz
    for n, row in enumerate(MARKS, start=1):
        learner = UserFactory(username=f"learner{n}")
        services.join_classroom(user=learner, classroom=classroom, now=NOW)
        attempt = Attempt.objects.create(
            user=learner, quiz=quiz, mode=Mode.ASSIGNED, started_at=NOW, finished_at=NOW + timedelta(minutes=15)
        )
        for position, (question, mark) in enumerate(zip(questions, row, strict=True), start=1):
            content = question.current_version.content
            right = next(i for i, c in enumerate(content.choices) if c.right)
            wrong = [i for i, c in enumerate(content.choices) if not c.right]
            selected = None if mark is None else [right] if mark else [wrong[n % len(wrong)]]
            AttemptQuestion.objects.create(
                attempt=attempt,
                position=position,
                question=question,
                version=question.current_version,
                option_order=list(range(len(content.choices))),
                selected=selected,
                fraction=grade(content, selected or [], policy=Policy.ALL_OR_NOTHING).fraction,
            )
    return assignment, questions


def test_an_instructor_reads_the_item_statistics(live_server, course, page: WatchedPage):
    assignment, questions = quiz_with_attempts()
    url = f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/statistics/"
    log_in(page, live_server.url, "teacher", url)
    expect(page.get_by_role("heading", name="Item statistics: Week 1: compute")).to_be_visible()
    expect(page.locator(".stat-tiles")).to_contain_text("8")
    review = page.get_by_role("region", name="Needs review (1)")
    expect(review).to_contain_text("Question 4")
    link = QuestionPlacement.objects.get(question=questions[3]).get_absolute_url()
    expect(review.get_by_role("link", name="Open the question in its note")).to_have_attribute("href", link)
    expect(page.get_by_role("row").filter(has_text="Needs review")).to_have_count(1)
    expect(page.locator(".no-index-reason").first).to_contain_text("Everyone scored the same")
    screenshot(page, "58-item-statistics")
    assert axe_violations(page) == []

    page.get_by_role("link", name="discrimination, lowest first").click()
    expect(page.locator("caption")).to_contain_text("by discrimination index, lowest first")
    page.wait_for_url(re.compile(r"\?sort=discrimination$"))
    first_row = page.locator(".stats-table tbody tr").first
    expect(first_row).to_contain_text("Needs review")  # the negative index first
    expect(page.get_by_role("heading", level=1)).to_have_count(1)  # the table was swapped, not the page nested
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the statistics (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert {row["Needs review"] for row in rows if row["Question"] == "4"} == {"yes"}
    assert page.console_errors == []


def test_the_statistics_page_without_javascript(live_server, course, no_js_page: WatchedPage):
    assignment, _ = quiz_with_attempts()
    url = f"/classes/{assignment.classroom_id}/assignments/{assignment.pk}/statistics/"
    log_in(no_js_page, live_server.url, "teacher", url)
    no_js_page.get_by_role("link", name="facility, lowest first").click()
    no_js_page.wait_for_url(re.compile(r"\?sort=facility$"))
    expect(no_js_page.locator("caption")).to_contain_text("by facility index, lowest first")
    screenshot(no_js_page, "59-item-statistics-sorted-no-js")
