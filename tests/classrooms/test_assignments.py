"""Assignments: setting work, taking an assigned quiz under its rules, extensions, and the
gradebook that grades it all."""

import csv
import io
import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from studyapp.classrooms import gradebook, services
from studyapp.classrooms.models import Assignment, AssignmentKind, LatePolicy
from studyapp.classrooms.progress import Status
from studyapp.content.models import Card, Note, QuestionPlacement, Topic
from studyapp.content.services import record_note_read
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.models import Attempt, Mode, Shown
from studyapp.srs.services import record_review
from tests.conftest import NOW
from tests.factories import UserFactory

from .conftest import as_teacher, enrol

pytestmark = pytest.mark.django_db
WEEK = timedelta(days=7)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def quiz_assignment(instructor, classroom, **setup) -> Assignment:
    schedule = services.Schedule(
        opens_at=setup.pop("opens_at", NOW), due_at=setup.pop("due_at", NOW + WEEK), late_policy=setup.pop("late_policy", LatePolicy.ACCEPT),
        late_penalty_percent=setup.pop("late_penalty_percent", 0),
    )  # fmt: skip
    topic_ids = tuple(Topic.objects.values_list("pk", flat=True))
    quiz = services.QuizSetup(
        source=services.QuizSource.TOPICS, topic_ids=topic_ids, question_count=setup.pop("question_count", 2), **setup
    )
    return services.create_assignment(as_teacher(instructor, classroom), title="Week 1 quiz", schedule=schedule, quiz=quiz, now=NOW)


def take(user, assignment, *, right: bool, now=NOW) -> Attempt:
    """Start the assigned quiz, answer every question (right or wrong) and submit."""
    attempt = services.start_assignment_quiz(user=user, assignment_id=assignment.pk, now=now, rng=random.Random(3))
    for slot in attempt.slots.select_related("version"):
        keyed = [i for i, option in enumerate(slot.version.content.choices) if option.fraction > 0]
        stored = keyed if right else [i for i in range(len(slot.option_order)) if i not in keyed][:1]
        shown = [slot.option_order.index(i) for i in stored]
        quiz_services.save_answer(user=user, attempt_id=attempt.pk, position=slot.position, shown=shown, now=now)
    return quiz_services.submit_mock(user=user, attempt_id=attempt.pk, now=now + timedelta(minutes=1))


def cell_of(classroom, user, assignment, now=NOW + timedelta(days=1)):
    book = gradebook.build(classroom, now=now)
    (row,) = [r for r in book.rows if r.user.pk == user.pk]
    return row.cells[[a.pk for a in book.assignments].index(assignment.pk)]


# --- setting work ------------------------------------------------------------------------------


def test_a_quiz_assignment_owns_a_quiz_that_closes_on_its_due_date(instructor, classroom, demo_course):
    assignment = quiz_assignment(instructor, classroom, attempts_allowed=2, grade_method="average")
    quiz = assignment.quiz
    assert assignment.kind == AssignmentKind.QUIZ and quiz.closes_at == assignment.due_at
    assert (quiz.attempts_allowed, quiz.grade_method, quiz.question_count) == (2, "average", 2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"due_at": NOW - timedelta(hours=1)}, "due date must come after"),
        ({"late_policy": LatePolicy.PENALTY}, "penalty for late work"),
        ({"attempts_allowed": 0}, "at least one attempt"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_made(instructor, classroom, demo_course, change, message):
    with pytest.raises(services.ClassroomError, match=message):
        quiz_assignment(instructor, classroom, **change)
    assert not Assignment.objects.exists()


def test_the_new_assignment_page_sets_a_quiz_and_shows_form_errors(instructor, classroom, demo_course):
    client = signed_in(instructor)
    url = f"/classes/{classroom.pk}/assignments/new/?kind=quiz"
    assertContains(client.get(url), "Shuffle the options")
    topic = Topic.objects.first()
    form = {
        "kind": "quiz", "title": "Containers check", "opens_at": "2026-12-01T09:00", "due_at": "2026-11-30T09:00",
        "late_policy": "accept", "source": "topics", "topics": [topic.pk], "question_count": 2, "grade_method": "highest",
        "show_marks": "after_submit", "show_right_answers": "after_close", "show_explanations": "never", "shuffle_options": "on",
    }  # fmt: skip
    response = client.post(url, form)
    assertContains(response, "The due date must come after the date it opens.")
    assert not Assignment.objects.exists()
    form["due_at"] = "2026-12-08T09:00"
    response = client.post(url, form)
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response["Location"] == assignment.get_absolute_url()
    assert (assignment.quiz.show_right_answers, assignment.quiz.show_explanations, assignment.quiz.shuffle_questions) == (
        Shown.AFTER_CLOSE,
        Shown.NEVER,
        False,
    )


def test_learners_cannot_set_work(classroom, member, demo_course):
    response = signed_in(member).post(f"/classes/{classroom.pk}/assignments/new/?kind=notes", {"title": "x"})
    assert response.status_code == 403 and not Assignment.objects.exists()


# --- taking an assigned quiz -------------------------------------------------------------------


def test_a_learner_takes_the_quiz_in_the_exam_pages_and_the_gradebook_grades_it(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom)
    client = signed_in(member)
    page = client.get(assignment.get_absolute_url())
    assertContains(page, "Start the quiz")
    response = client.post(f"{assignment.get_absolute_url()}start/")
    attempt = Attempt.objects.get(user=member)
    assert attempt.mode == Mode.ASSIGNED and response["Location"] == f"/quiz/mock/{attempt.pk}/1/"
    assertContains(client.get(response["Location"]), "No time limit")
    assert client.post(f"{assignment.get_absolute_url()}start/")["Location"] == response["Location"]  # a second click resumes
    assert Attempt.objects.filter(user=member).count() == 1
    quiz_services.submit_mock(user=member, attempt_id=attempt.pk, now=NOW)
    cell = cell_of(classroom, member, assignment)
    assert cell.status == Status.GRADED and cell.grade == 0
    book = signed_in(instructor).get(f"/classes/{classroom.pk}/gradebook/")
    assertContains(book, "Week 1 quiz")
    assertContains(book, "Graded")


def test_attempts_allowed_and_the_grading_method(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom, attempts_allowed=3, grade_method="first")
    take(member, assignment, right=False)
    take(member, assignment, right=True, now=NOW + timedelta(hours=1))
    take(member, assignment, right=True, now=NOW + timedelta(hours=2))
    with pytest.raises(services.ClassroomError, match="used your 3 attempts"):
        services.start_assignment_quiz(user=member, assignment_id=assignment.pk, now=NOW + timedelta(hours=3), rng=random.Random())
    assert cell_of(classroom, member, assignment).grade == 0  # first
    assignment.quiz.grade_method = "highest"
    assignment.quiz.save()
    assert cell_of(classroom, member, assignment).grade == 100


def test_a_quiz_not_open_yet_is_hidden_from_learners(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom, opens_at=NOW + timedelta(days=400), due_at=NOW + timedelta(days=401))
    assert signed_in(member).get(assignment.get_absolute_url()).status_code == 404
    with pytest.raises(services.ClassroomError, match="opens"):
        services.start_assignment_quiz(user=member, assignment_id=assignment.pk, now=NOW, rng=random.Random())
    assert signed_in(instructor).get(assignment.get_absolute_url()).status_code == 200


def test_refused_late_work_closes_the_quiz_at_the_due_date(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom, late_policy=LatePolicy.REFUSE, time_limit=timedelta(days=30))
    attempt = services.start_assignment_quiz(user=member, assignment_id=assignment.pk, now=NOW, rng=random.Random())
    assert attempt.deadline == assignment.due_at  # not the 30 days the time limit allows
    quiz_services.submit_mock(user=member, attempt_id=attempt.pk, now=NOW)
    assignment.quiz.attempts_allowed = None
    assignment.quiz.save()
    with pytest.raises(services.ClassroomError, match="late work is not accepted"):
        services.start_assignment_quiz(
            user=member, assignment_id=assignment.pk, now=assignment.due_at + timedelta(seconds=1), rng=random.Random()
        )


def test_an_extension_lets_one_learner_in_after_the_due_date(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom, late_policy=LatePolicy.REFUSE)
    later = assignment.due_at + timedelta(days=2)
    services.set_override(
        as_teacher(instructor, classroom), assignment_id=assignment.pk, user_id=member.pk, due_at=later, excused=False, now=NOW
    )
    attempt = services.start_assignment_quiz(
        user=member, assignment_id=assignment.pk, now=assignment.due_at + timedelta(days=1), rng=random.Random()
    )
    assert attempt.deadline == later
    other = UserFactory()
    enrol(other, classroom)
    with pytest.raises(services.ClassroomError, match="late work is not accepted"):
        services.start_assignment_quiz(
            user=other, assignment_id=assignment.pk, now=assignment.due_at + timedelta(days=1), rng=random.Random()
        )


def test_the_override_page_excuses_a_learner(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom)
    response = signed_in(instructor).post(f"{assignment.get_absolute_url()}overrides/", {"user": member.pk, "excused": "on"})
    assert response.status_code == 302
    assert cell_of(classroom, member, assignment).status == Status.EXCUSED
    assert signed_in(member).post(f"{assignment.get_absolute_url()}overrides/", {"user": member.pk, "excused": "on"}).status_code == 403


def test_late_work_with_a_penalty(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom, late_policy=LatePolicy.PENALTY, late_penalty_percent=30)
    take(member, assignment, right=True, now=assignment.due_at + timedelta(hours=1))
    cell = cell_of(classroom, member, assignment, now=assignment.due_at + timedelta(days=1))
    assert (cell.status, cell.grade) == (Status.LATE, 70)


# --- review options: what is hidden is not sent -------------------------------------------------


def test_hidden_marks_and_answers_are_not_in_the_learners_pages(instructor, classroom, member, demo_course):
    # The pages read the real clock: the quiz must still be open now, whatever day the suite runs.
    assignment = quiz_assignment(
        instructor,
        classroom,
        show_marks=Shown.NEVER,
        show_right_answers=Shown.AFTER_CLOSE,
        show_explanations=Shown.NEVER,
        due_at=timezone.now() + WEEK,
    )
    attempt = take(member, assignment, right=False)
    client = signed_in(member)
    results = client.get(f"/quiz/attempts/{attempt.pk}/results/")
    assertContains(results, "does not show marks")
    assertNotContains(results, "Score")
    assertNotContains(results, "(wrong)")
    question = client.get(f"/quiz/attempts/{attempt.pk}/1/")
    slot = attempt.slots.select_related("version").get(position=1)
    assertContains(question, "right answers are not shown for this quiz until it closes")
    for html in (question.content.decode(), results.content.decode()):
        assert "is-correct" not in html and "Not quite" not in html
        assert slot.version.content.explanation_html not in html
    # The wrong answers did not go to the review queue either: a flashcard would show the answer.
    assert not member.review_states.filter(question__isnull=False).exists()
    # The instructor reads everything.
    teacher = signed_in(instructor)
    assertContains(teacher.get(f"/quiz/attempts/{attempt.pk}/results/"), "(wrong)")
    assertContains(teacher.get(f"/quiz/attempts/{attempt.pk}/1/"), "Not quite")


def test_an_attempt_under_way_is_not_open_to_the_instructor(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom)
    attempt = services.start_assignment_quiz(user=member, assignment_id=assignment.pk, now=NOW, rng=random.Random())
    teacher = signed_in(instructor)
    assert teacher.get(f"/quiz/attempts/{attempt.pk}/results/").status_code == 404
    assert teacher.get(f"/quiz/attempts/{attempt.pk}/1/").status_code == 404
    assert teacher.get(f"/quiz/mock/{attempt.pk}/1/").status_code == 404


# --- goals and notes ------------------------------------------------------------------------------


def test_a_review_goal_counts_reviews_between_open_and_due(instructor, classroom, member, demo_course):
    schedule = services.Schedule(opens_at=NOW, due_at=NOW + WEEK)
    goal = services.FlashcardGoal(kind="reviews", reviews=2)
    assignment = services.create_assignment(as_teacher(instructor, classroom), title="Review 2", schedule=schedule, goal=goal, now=NOW)
    cards = list(Card.objects.all()[:3])
    record_review(user=member, kind="card", item_id=cards[0].pk, revision=0, rating=3, now=NOW - timedelta(days=1))  # before: not counted
    record_review(user=member, kind="card", item_id=cards[1].pk, revision=0, rating=3, now=NOW + timedelta(days=1))
    assert cell_of(classroom, member, assignment).status == Status.IN_PROGRESS
    record_review(user=member, kind="card", item_id=cards[2].pk, revision=0, rating=3, now=NOW + timedelta(days=2))
    cell = cell_of(classroom, member, assignment, now=NOW + timedelta(days=3))
    assert (cell.status, cell.grade) == (Status.GRADED, 100)


def test_notes_to_read_count_notes_marked_read(instructor, classroom, member, demo_course):
    notes = list(Note.objects.all()[:2])
    schedule = services.Schedule(opens_at=NOW, due_at=NOW + WEEK)
    assignment = services.create_assignment(
        as_teacher(instructor, classroom), title="Read", schedule=schedule, note_ids=[n.pk for n in notes], now=NOW
    )
    record_note_read(user=member, note=notes[0], now=NOW + timedelta(hours=1))
    assert cell_of(classroom, member, assignment).progress == 50
    record_note_read(user=member, note=notes[1], now=NOW + WEEK + timedelta(hours=1))
    cell = cell_of(classroom, member, assignment, now=NOW + WEEK + timedelta(days=1))
    assert (cell.status, cell.grade) == (Status.LATE, 100)


# --- the gradebook -----------------------------------------------------------------------------


def test_the_gradebook_sorts_filters_and_exports(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom)
    strong = UserFactory(username="strong", first_name="=HYPERLINK(1)")
    enrol(strong, classroom)
    take(strong, assignment, right=True)
    take(member, assignment, right=False)
    client = signed_in(instructor)
    page = client.get(f"/classes/{classroom.pk}/gradebook/?sort={assignment.pk}").content.decode()
    assert page.index("member") < page.index("strong")  # lowest grade first
    only = client.get(f"/classes/{classroom.pk}/gradebook/?status=graded&assignment={assignment.pk}&q=stro").content.decode()
    assert "strong" in only and "member@" not in only and ">member<" not in only
    body = client.get(f"/classes/{classroom.pk}/gradebook.csv").content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0][-2:] == ["Week 1 quiz (%)", "Week 1 quiz: status"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["strong"][-2:] == ["100", "graded"] and by_name["member"][-2:] == ["0", "graded"]
    assert by_name["strong"][1].startswith("'=")  # a formula is neutralised


def test_gradebook_queries_do_not_grow_with_learners_or_assignments(django_assert_max_num_queries, instructor, classroom, demo_course):
    for n in range(3):
        quiz_assignment(instructor, classroom)
        services.create_assignment(
            as_teacher(instructor, classroom), title=f"Goal {n}", schedule=services.Schedule(opens_at=NOW, due_at=NOW + WEEK),
            goal=services.FlashcardGoal(kind="recall" if n else "reviews", reviews=5, recall_percent=80), now=NOW,
        )  # fmt: skip
    services.create_assignment(
        as_teacher(instructor, classroom), title="Read", schedule=services.Schedule(opens_at=NOW, due_at=NOW + WEEK),
        note_ids=[Note.objects.first().pk], now=NOW,
    )  # fmt: skip
    for n in range(12):
        learner = UserFactory()
        enrol(learner, classroom)
        if n % 3 == 0:
            take(learner, Assignment.objects.filter(kind="quiz").first(), right=bool(n % 2))
    with django_assert_max_num_queries(10):
        book = gradebook.build(classroom, now=NOW)
    assert len(book.rows) == 12 and len(book.assignments) == 7


def test_a_recall_goal_counts_unseen_cards_as_forgotten(instructor, classroom, member, demo_course):
    topic = Topic.objects.filter(notes__cards__isnull=False).distinct().first()
    cards = list(Card.objects.filter(note__topic=topic))
    goal = services.FlashcardGoal(kind="recall", recall_percent=80, topic_ids=(topic.pk,))
    schedule = services.Schedule(opens_at=NOW, due_at=NOW + timedelta(days=1))
    assignment = services.create_assignment(as_teacher(instructor, classroom), title="Recall", schedule=schedule, goal=goal, now=NOW)
    assert cell_of(classroom, member, assignment, now=NOW).status == Status.NOT_STARTED
    for card in cards[: len(cards) // 2 or 1]:
        record_review(user=member, kind="card", item_id=card.pk, revision=0, rating=4, now=NOW + timedelta(hours=1))
    half = cell_of(classroom, member, assignment, now=NOW + timedelta(hours=2))
    assert (
        half.status == Status.IN_PROGRESS
        and half.progress is not None
        and 0 < half.progress <= Decimal(100 * (len(cards) // 2 or 1)) / len(cards) / Decimal("0.8")
    )
    for card in cards[len(cards) // 2 or 1 :]:
        record_review(user=member, kind="card", item_id=card.pk, revision=0, rating=4, now=NOW + timedelta(hours=3))
    done = cell_of(classroom, member, assignment, now=NOW + timedelta(hours=4))
    assert (done.status, done.grade) == (Status.GRADED, 100)  # every card easy a day before: well over 80 % tomorrow


def test_the_learners_page_lists_their_assignments_with_grades_and_attempts(instructor, classroom, member, demo_course):
    assignment = quiz_assignment(instructor, classroom)
    attempt = take(member, assignment, right=True)
    page = signed_in(instructor).get(f"/classes/{classroom.pk}/learners/{member.pk}/")
    assertContains(page, "Week 1 quiz")
    assertContains(page, '<strong class="cell-grade">100%</strong>', html=False)
    assertContains(page, f'href="/quiz/attempts/{attempt.pk}/results/"')


def test_a_review_goal_over_topics_counts_their_cards_and_questions_up_to_the_due_instant(instructor, classroom, member, demo_course):
    topic = Topic.objects.filter(notes__cards__isnull=False, question_placements__isnull=False).distinct().first()
    cards = list(Card.objects.filter(note__topic=topic).order_by("pk")[:2])
    question = QuestionPlacement.objects.filter(topic=topic).first().question_id
    elsewhere = Card.objects.exclude(note__topic=topic).first()
    late = UserFactory(username="late")
    enrol(late, classroom)
    goal = services.FlashcardGoal(kind="reviews", reviews=3, topic_ids=(topic.pk,))
    schedule = services.Schedule(opens_at=NOW, due_at=NOW + WEEK)
    assignment = services.create_assignment(as_teacher(instructor, classroom), title="Topic reviews", schedule=schedule, goal=goal, now=NOW)
    for learner, last in ((member, NOW + WEEK), (late, NOW + WEEK + timedelta(microseconds=1))):
        record_review(user=learner, kind="card", item_id=elsewhere.pk, revision=0, rating=3, now=NOW + timedelta(hours=1))  # another topic
        record_review(user=learner, kind="card", item_id=cards[0].pk, revision=0, rating=3, now=NOW + timedelta(hours=2))
        record_review(user=learner, kind="question", item_id=question, revision=0, rating=3, now=NOW + timedelta(hours=3))
        assert cell_of(classroom, learner, assignment).progress == Decimal(200) / 3
        record_review(user=learner, kind="card", item_id=cards[1].pk, revision=0, rating=3, now=last)  # at the due instant, or just after
    on_time, after = (cell_of(classroom, learner, assignment, now=NOW + WEEK + timedelta(days=1)) for learner in (member, late))
    assert (on_time.status, on_time.grade) == (Status.GRADED, 100)
    assert (after.status, after.grade, after.progress) == (Status.LATE, 100, 100)
