"""The gradebook (issue 14): 200 learners × 30 assignments.

    .venv/bin/python bench/gradebook.py [--learners 200] [--assignments 30] [--runs 20]

Builds, on the loaded course: an instructor, a class of ``--learners`` learners and
``--assignments`` assignments (two thirds quizzes over the course's topics, 3 questions each; the
rest split between review goals, recall goals and notes to read), then, for every quiz, a finished
attempt by three learners in four (through the services, answered at random), a few hundred
reviews per learner (bulk_create: a fixture, not a code path), notes read, and an extension for
one learner in ten. Then, in process, median and p95 of ``--runs`` runs of:

1. ``classrooms.gradebook.build`` (the queries and the arithmetic), with its query count;
2. the gradebook page through Django's test client, signed in as the instructor;
3. the CSV export the same way.

Goal: at most 10 queries (also asserted in tests/classrooms/test_assignments.py) and under 300 ms
of server time. Production settings (DEBUG off) on a fresh SQLite file, or on ``DATABASE_URL``
when it names PostgreSQL (give it a database of its own: the bench fills it).
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import argparse
import os
import random
import statistics
import time
from datetime import timedelta

from common import use_production_settings_on_a_temp_database  # bench/ is on sys.path when run as a script

URL = os.environ.get("DATABASE_URL", "")
TMP = use_production_settings_on_a_temp_database()
if URL.startswith(("postgres://", "postgresql://")):
    os.environ["DATABASE_URL"] = URL

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from studyapp.accounts.models import Role, User
from studyapp.classrooms import gradebook, services
from studyapp.classrooms.access import access_classroom
from studyapp.classrooms.models import AssignmentOverride, ClassRole, Classroom, Membership
from studyapp.content.models import Card, Course, Note, NoteRead, Topic
from studyapp.quizzes import services as quizzes
from studyapp.srs.models import ReviewLog, ReviewState


def build(learners: int, assignments: int, rng: random.Random) -> Classroom:
    call_command("migrate", "--noinput", verbosity=0)
    if not Card.objects.exists():
        with open(os.devnull, "w") as devnull:
            call_command("load_content", verbosity=0, stdout=devnull)
    now = timezone.now()
    start = now - timedelta(days=20)
    course = Course.objects.live().order_by("pk").first()
    assert course is not None, "load_content loaded no course"
    teacher = User.objects.create(username="bench-teacher", role=Role.INSTRUCTOR)
    classroom = services.create_classroom(by=teacher, name="Bench class", course=course, now=start)
    access = access_classroom(teacher, classroom.pk, as_instructor=True)
    users = User.objects.bulk_create([User(username=f"bench-learner-{n:03d}") for n in range(learners)])
    Membership.objects.bulk_create([Membership(classroom=classroom, user=u, role=ClassRole.LEARNER, joined_at=start) for u in users])
    topics = list(Topic.objects.filter(course=course).values_list("pk", flat=True))
    notes = list(Note.objects.filter(course=course).values_list("pk", flat=True))
    made = []
    for n in range(assignments):
        schedule = services.Schedule(opens_at=start + timedelta(hours=n), due_at=start + timedelta(days=10, hours=n))
        title = f"Assignment {n + 1}"
        if n % 3 != 2:
            setup = services.QuizSetup(
                source=services.QuizSource.TOPICS, topic_ids=tuple(rng.sample(topics, 3)), question_count=3, attempts_allowed=None
            )
            made.append(services.create_assignment(access, title=title, schedule=schedule, quiz=setup, now=start))
        elif n % 9 == 2:
            goal = services.FlashcardGoal(kind="reviews", reviews=50, topic_ids=tuple(rng.sample(topics, 2)))
            made.append(services.create_assignment(access, title=title, schedule=schedule, goal=goal, now=start))
        elif n % 9 == 5:
            goal = services.FlashcardGoal(kind="recall", recall_percent=80, topic_ids=tuple(rng.sample(topics, 2)))
            made.append(services.create_assignment(access, title=title, schedule=schedule, goal=goal, now=start))
        else:
            made.append(services.create_assignment(access, title=title, schedule=schedule, note_ids=rng.sample(notes, 3), now=start))
    for assignment in made:
        if assignment.quiz is None:
            continue
        for user in users:
            if rng.random() < 0.75:
                attempt = services.start_assignment_quiz(user=user, assignment_id=assignment.pk, now=start + timedelta(days=2), rng=rng)
                for slot in attempt.slots.all():
                    quizzes.save_answer(
                        user=user,
                        attempt_id=attempt.pk,
                        position=slot.position,
                        shown=[rng.randrange(len(slot.option_order))],
                        now=start + timedelta(days=1),
                    )
                quizzes.submit_mock(user=user, attempt_id=attempt.pk, now=start + timedelta(days=rng.choice([2, 12])))
    cards = list(Card.objects.live().values_list("pk", flat=True))
    states = ReviewState.objects.bulk_create(
        [
            ReviewState(
                user=u,
                card_id=card,
                state="review",
                stability=rng.uniform(1, 30),
                difficulty=5.0,
                due=now,
                last_review=start + timedelta(days=5),
                reps=2,
                added_at=start,
            )
            for u in users
            for card in rng.sample(cards, 60)
        ]
    )
    ReviewLog.objects.bulk_create(
        [
            ReviewLog(
                user_id=s.user_id,
                review_state=s,
                rating=3,
                reviewed_at=start + timedelta(days=rng.uniform(0, 19)),
                was_new=False,
                state_before={},
                state_after={},
            )
            for s in states
            for _ in range(3)
        ]
    )
    NoteRead.objects.bulk_create(
        [
            NoteRead(user=u, note_id=note, first_read_at=start + timedelta(days=rng.uniform(0, 19)))
            for u in users
            for note in rng.sample(notes, 5)
        ]
    )
    AssignmentOverride.objects.bulk_create(
        [AssignmentOverride(assignment=a, user=u, due_at=a.due_at + timedelta(days=3)) for a in made for u in users[::10]]
    )
    return classroom


def timed(runs: int, job) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        job()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--assignments", type=int, default=30)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    rng = random.Random(14)
    began = time.perf_counter()
    classroom = build(options.learners, options.assignments, rng)
    print(f"built in {time.perf_counter() - began:.0f} s on {connection.vendor}: {options.learners} learners × {options.assignments} assignments, "
          f"{ReviewLog.objects.count()} reviews")  # fmt: skip
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        book = gradebook.build(classroom, now=now)
    assert len(book.rows) == options.learners and len(book.assignments) == options.assignments
    print(f"gradebook.build: {len(queries.captured_queries)} queries")
    client = Client()
    client.force_login(classroom.created_by)
    for name, job in (
        ("gradebook.build", lambda: gradebook.build(classroom, now=now)),
        ("GET /classes/<id>/gradebook/", lambda: client.get(f"/classes/{classroom.pk}/gradebook/")),
        ("GET /classes/<id>/gradebook.csv", lambda: client.get(f"/classes/{classroom.pk}/gradebook.csv")),
    ):
        job()  # warm
        median, p95 = timed(options.runs, job)
        print(f"{name:34} median {median:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
