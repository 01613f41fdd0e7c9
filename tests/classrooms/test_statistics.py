"""Item statistics of a quiz assignment: the reference's six-learner table through the whole path
(attempts -> report -> page and CSV), which attempts count, the flag for review with its link, the
answers per option and per version, and a query count that does not grow with the class."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from studyapp.accounts.models import User
from studyapp.classrooms import services
from studyapp.classrooms.export import BOM
from studyapp.classrooms.models import Assignment, AssignmentKind, Classroom, MembershipStatus
from studyapp.classrooms.statistics import item_statistics
from studyapp.content.models import QuestionPlacement
from studyapp.questions import services as question_services
from studyapp.questions.content import Choice, Kind, Policy, QuestionContent, grade
from studyapp.questions.models import Question, Status
from studyapp.quizzes.models import Attempt, AttemptQuestion, Mode
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import as_teacher, enrol, fixed_quiz

pytestmark = pytest.mark.django_db

# The reference's table (exam-and-quiz.md): six learners, three one-mark questions.
SIX = [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 0, 0]]
EXPECTED = [(66.67, 34.30), (50.00, 0.00), (33.33, 34.30)]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def single(stem: str, key: str, options: tuple[str, ...] = ("Right", "Wrong", "Also wrong")) -> Question:
    """A published single-answer question whose first option is the right one."""
    content = QuestionContent(
        kind=Kind.SINGLE, stem=stem, choices=tuple(Choice(text=text, fraction=Decimal(i == 0)) for i, text in enumerate(options))
    )
    return question_services.create_question(content=content, by=None, now=NOW, source_key=key, status=Status.PUBLISHED)


def quiz_of(classroom: Classroom, instructor: User, questions: list[Question]) -> Assignment:
    return fixed_quiz(instructor, classroom, [q.pk for q in questions], title="Reference quiz")


def take(user: User, assignment: Assignment, answers: list[tuple[Question, list[int] | None]], *, at=NOW, finished=True) -> Attempt:
    """An assigned attempt with these answers (stored option indexes, None: unanswered), graded as
    a submitted one is: each slot keeps the question's current version and its fraction."""
    attempt = Attempt.objects.create(
        user=user, quiz=assignment.quiz, mode=Mode.ASSIGNED, started_at=at, finished_at=at + timedelta(minutes=20) if finished else None
    )
    for position, (question, selected) in enumerate(answers, start=1):
        question.refresh_from_db()
        version = question.current_version
        fraction = grade(version.content, selected or [], policy=Policy.ALL_OR_NOTHING).fraction if finished else None
        AttemptQuestion.objects.create(
            attempt=attempt,
            position=position,
            question=question,
            version=version,
            option_order=list(reversed(range(len(version.content.choices)))),  # shown shuffled; stored indexes are what count
            selected=selected,
            fraction=fraction,
        )
    return attempt


@pytest.fixture
def three() -> list[Question]:
    return [single(f"Reference question {n}?", f"ref-{n}") for n in (1, 2, 3)]


@pytest.fixture
def reference(instructor, classroom, three) -> Assignment:
    """The six learners' attempts: a 1 is the right option (0), a 0 the wrong one (1), except that
    the last learner left everything unanswered."""
    assignment = quiz_of(classroom, instructor, three)
    for n, row in enumerate(SIX, start=1):
        learner = UserFactory(username=f"learner{n}")
        enrol(learner, classroom)
        answers = [(q, None if n == 6 else [0 if mark else 1]) for q, mark in zip(three, row, strict=True)]
        take(learner, assignment, answers)
    return assignment


def test_the_reference_table_matches_to_a_hundredth(reference):
    stats = item_statistics(reference)
    assert [(q.facility, q.discrimination) for q in stats.questions] == [
        (pytest.approx(f, abs=0.01), pytest.approx(d, abs=0.01)) for f, d in EXPECTED
    ]
    assert [q.attempts for q in stats.questions] == [6, 6, 6]
    assert stats.summary.count == 6
    # grades 100, 66.7, 33.3, 33.3, 66.7, 0: mean 50, median 50
    assert stats.summary.mean == pytest.approx(Decimal(50)) and stats.summary.median == pytest.approx(Decimal(50))
    assert not stats.flagged


def test_the_page_shows_the_reference_figures(instructor, classroom, reference):
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/assignments/{reference.pk}/statistics/")
    assertTemplateUsed(response, "classrooms/statistics.html")
    for facility, discrimination in EXPECTED:
        assertContains(response, f"{facility:.2f} %")
        assertContains(response, f"{discrimination:.2f}")
    assertContains(response, "first submitted attempt")
    assertContains(response, "<caption>3 questions, in the quiz's order</caption>", html=False)
    assertContains(response, "<dd>50.0 %</dd>", count=2)  # mean and median
    assertNotContains(response, "Needs review (")
    assertNotContains(response, 'style="')  # the strict CSP refuses style attributes


def test_the_table_sorts_by_either_index_without_javascript(instructor, classroom, reference):
    client = signed_in(instructor)
    url = f"/classes/{classroom.pk}/assignments/{reference.pk}/statistics/"
    by_facility = client.get(url, {"sort": "facility"}).content.decode()
    assert (
        by_facility.index("Reference question 3?") < by_facility.index("Reference question 2?") < by_facility.index("Reference question 1?")
    )
    assert 'aria-sort="ascending"' in by_facility
    by_discrimination = client.get(url, {"sort": "discrimination"}).content.decode()
    table = by_discrimination[by_discrimination.index("<table") : by_discrimination.index("</table>")]
    assert table.index("Reference question 2?") < table.index("Reference question 1?")  # 0.00 before 34.30
    assertContains(client.get(url, {"sort": "nonsense"}), "in the quiz's order")  # an unknown sort is the default order
    assert 'href="?sort=facility"' in client.get(url).content.decode()


def test_the_sorted_table_is_a_partial_for_htmx(instructor, classroom, reference):
    url = f"/classes/{classroom.pk}/assignments/{reference.pk}/statistics/?sort=facility"
    response = signed_in(instructor).get(url, headers={"HX-Request": "true"})
    assertTemplateUsed(response, "items")  # Django names a rendered partial by its own name
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="items"') and "<h1>" not in body
    assertContains(response, "66.67 %")
    restored = signed_in(instructor).get(url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assertContains(restored, "<h1>")
    assert restored.templates[0].name == "classrooms/statistics.html"


def test_the_answers_are_counted_per_option_in_stored_order(reference):
    first = item_statistics(reference).questions[0]
    (version,) = first.versions
    assert [(o.text, o.right, o.count) for o in version.options] == [("Right", True, 4), ("Wrong", False, 1), ("Also wrong", False, 0)]
    assert version.unanswered == 1 and version.attempts == 6
    assert first.right_answers == ("Right",)


def test_the_page_shows_the_distribution(instructor, classroom, reference):
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/assignments/{reference.pk}/statistics/")
    assertContains(response, '<meter min="0" max="6" value="4" aria-hidden="true"></meter>', html=False)
    assertContains(response, "4 of 6 (67 %)")
    assertContains(response, "✓ right answer", count=3)
    assertContains(response, "1 of 6 (17 %)")  # Q1's "Wrong", and each question's "No answer"


def test_only_each_learners_first_finished_attempt_counts(instructor, classroom, three, member):
    assignment = quiz_of(classroom, instructor, three)
    right, wrong = [(q, [0]) for q in three], [(q, [1]) for q in three]
    take(member, assignment, wrong, at=NOW - timedelta(minutes=5), finished=False)  # still open: not counted
    take(member, assignment, wrong, at=NOW)  # the first submitted: counted
    take(member, assignment, right, at=NOW + timedelta(hours=1))  # a later one: not counted
    stats = item_statistics(assignment)
    assert stats.summary.count == 1 and stats.summary.mean == 0
    assert [q.facility for q in stats.questions] == [0.0, 0.0, 0.0]


def test_instructors_and_outsiders_attempts_are_left_out_and_removed_learners_kept(instructor, classroom, three, member):
    assignment = quiz_of(classroom, instructor, three)
    right = [(q, [0]) for q in three]
    take(instructor, assignment, right)
    take(UserFactory(username="stranger"), assignment, right)  # not in the class
    gone = UserFactory(username="gone")
    enrol(gone, classroom)
    take(gone, assignment, [(q, [1]) for q in three])
    services.set_learner_status(as_teacher(instructor, classroom), user_id=gone.pk, status=MembershipStatus.REMOVED, now=NOW)
    take(member, assignment, right)
    stats = item_statistics(assignment)
    assert stats.summary.count == 2  # the member and the removed learner
    assert [q.facility for q in stats.questions] == [50.0, 50.0, 50.0]


def test_a_question_with_negative_discrimination_is_flagged_with_a_link_to_it(instructor, classroom, quiz_assignment):
    fargate = Question.objects.get(source_key="demo-q-fargate")
    two = Question.objects.get(source_key="demo-q-two")
    # Those right on one are wrong on the other: each question's index is -100.
    for n, (a, b) in enumerate([([0], [2]), ([0], [2]), ([1], [0, 1]), ([1], [0, 1])], start=1):
        learner = UserFactory(username=f"learner{n}")
        enrol(learner, classroom)
        take(learner, quiz_assignment, [(fargate, a), (two, b)])
    stats = item_statistics(quiz_assignment)
    assert [round(q.discrimination) for q in stats.questions] == [-100, -100]
    assert all(q.needs_review for q in stats.questions)
    link = QuestionPlacement.objects.get(question=fargate).get_absolute_url()
    assert link.endswith("#q-demo-q-fargate")
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/assignments/{quiz_assignment.pk}/statistics/")
    assertContains(response, "Needs review (2)")
    assertContains(response, f'<a href="{link}">Open the question in its note</a>', html=False)
    assertContains(response, '<strong class="review-flag">Needs review</strong>', count=2)
    # the note page has the anchor the link points at
    note = signed_in(instructor).get(link.split("#")[0])
    assertContains(note, 'id="q-demo-q-fargate"')


def test_no_index_is_a_dash_with_the_reason(instructor, classroom, three, member):
    assignment = quiz_of(classroom, instructor, three)
    take(member, assignment, [(q, [0]) for q in three])
    (q1, *_rest) = item_statistics(assignment).questions
    assert q1.discrimination is None and "at least 2 attempts" in q1.discrimination_reason
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/statistics/")
    assertContains(response, '<span class="no-index">—</span><span class="no-index-reason">Needs at least 2 attempts', html=False)


def test_answers_to_different_versions_are_grouped_by_version(instructor, classroom, three):
    assignment = quiz_of(classroom, instructor, three[:1])
    (question,) = three[:1]
    early, late = UserFactory(username="early"), UserFactory(username="late")
    enrol(early, classroom)
    enrol(late, classroom)
    take(early, assignment, [(question, [1])])
    reworded = QuestionContent(
        kind=Kind.SINGLE,
        stem="Reworded?",
        choices=(Choice(text="New right", fraction=Decimal(1)), Choice(text="New wrong", fraction=Decimal(0))),
    )
    question_services.add_version(question=question, content=reworded, by=instructor, now=NOW)
    take(late, assignment, [(question, [0])])
    (stats,) = item_statistics(assignment).questions
    assert [(v.number, [(o.text, o.count) for o in v.options]) for v in stats.versions] == [
        (1, [("Right", 0), ("Wrong", 1), ("Also wrong", 0)]),
        (2, [("New right", 1), ("New wrong", 0)]),
    ]
    assert stats.stem == "Reworded?"
    assertContains(signed_in(instructor).get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/statistics/"), "Version 2: 1 attempt")


def test_no_attempts_yet_is_said_plainly(instructor, classroom, quiz_assignment):
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/assignments/{quiz_assignment.pk}/statistics/")
    assertContains(response, "No learner has submitted this quiz yet")
    assertContains(response, "<dd>—</dd>", count=2, html=False)


def test_queries_do_not_grow_with_the_class(django_assert_num_queries, django_assert_max_num_queries, instructor, classroom, three):
    assignment = quiz_of(classroom, instructor, three)
    for n in range(30):
        learner = UserFactory(username=f"learner{n}")
        enrol(learner, classroom)
        take(learner, assignment, [(q, [n % 3]) for q in three])
    assignment = Assignment.objects.select_related("classroom", "quiz").get(pk=assignment.pk)
    with django_assert_num_queries(4):
        stats = item_statistics(assignment)
    assert stats.summary.count == 30
    client = signed_in(instructor)
    with django_assert_max_num_queries(9):
        response = client.get(f"/classes/{classroom.pk}/assignments/{assignment.pk}/statistics/")
    assertContains(response, "10 of 30")


def test_the_csv_opens_with_the_csv_module(instructor, classroom, reference):
    Question.objects.filter(source_key="ref-1").get().versions.update(
        data={**Question.objects.get(source_key="ref-1").current_version.data, "stem": "=HYPERLINK(1)"}
    )
    response = signed_in(instructor).get(f"/classes/{classroom.pk}/assignments/{reference.pk}/statistics.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert len(rows) == 3 * 4  # three options and "no answer" per question
    first = [row for row in rows if row["Question"] == "1"]
    assert {row["Stem"] for row in first} == {"'=HYPERLINK(1)"}  # the formula neutralised
    assert [(row["Answer"], row["Right answer"], row["Chosen by"]) for row in first] == [
        ("Right", "yes", "4"),
        ("Wrong", "no", "1"),
        ("Also wrong", "no", "0"),
        ("(no answer)", "", "1"),
    ]
    assert {(row["Facility index (%)"], row["Discrimination index"]) for row in first} == {("66.67", "34.30")}
    second = [row for row in rows if row["Question"] == "2"]
    assert {row["Discrimination index"] for row in second} == {"0.00"}


def test_an_assignment_of_another_class_or_not_a_quiz_is_a_404(instructor, classroom, quiz_assignment, demo_course):
    client = signed_in(instructor)
    other = services.create_classroom(by=instructor, name="Second group", course=demo_course, now=NOW)
    for url in (
        f"/classes/{other.pk}/assignments/{quiz_assignment.pk}/statistics/",
        f"/classes/{other.pk}/assignments/{quiz_assignment.pk}/statistics.csv",
    ):
        assert client.get(url).status_code == 404
    notes = Assignment.objects.create(
        classroom=classroom, kind=AssignmentKind.NOTES, title="Read", opens_at=NOW, due_at=NOW + timedelta(days=1), created_by=instructor
    )
    assert client.get(f"/classes/{classroom.pk}/assignments/{notes.pk}/statistics/").status_code == 404
    assert client.get(f"/classes/{classroom.pk}/assignments/{quiz_assignment.pk}/statistics/").status_code == 200
