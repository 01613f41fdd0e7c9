"""The class readiness panel (issue 14): a class of 200 learners with 100,000 logged reviews.

    .venv/bin/python bench/class_readiness.py [--learners 200] [--reviews 100000] [--runs 20] [--mocks 100]

Builds, on the loaded course: an instructor, a class of ``--learners`` learners, ``--reviews``
ReviewLog rows spread over the learners' last 60 days (each learner reviews between 60 and all of
the course's cards, several times each) and the ReviewStates they imply (written with bulk_create,
not the services: this is a fixture, not a code path), a study setting per learner (a third with
an exam date set), and a finished timed mock for ``--mocks`` learners (through quizzes.services,
answers graded at random). Then, in process, median and p95 of ``--runs`` runs of:

1. ``classrooms.reports.class_readiness`` (the report: its queries and the arithmetic);
2. the panel's view through Django's test client, as htmx asks for it (``HX-Request``), signed in
   as the instructor: the whole server time but the network.

Goal: under 500 ms. Production settings (DEBUG off) on a fresh SQLite file, or on ``DATABASE_URL``
when it names PostgreSQL (give it a database of its own: the bench fills it).
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import os
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

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
from studyapp.classrooms import reports
from studyapp.classrooms.models import ClassRole, Classroom, Membership
from studyapp.content.models import Card, Course
from studyapp.quizzes import services as quizzes
from studyapp.quizzes.models import AttemptQuestion
from studyapp.srs.models import ReviewLog, ReviewSettings, ReviewState


def build(learners: int, reviews: int, mocks: int, rng: random.Random) -> Classroom:
    call_command("migrate", "--noinput", verbosity=0)
    if not Card.objects.exists():
        with open(os.devnull, "w") as devnull:
            call_command("load_content", verbosity=0, stdout=devnull)
    now = timezone.now()
    course = Course.objects.live().order_by("pk").first()
    assert course is not None, "load_content loaded no course"
    teacher = User.objects.create(username="bench-teacher", role=Role.INSTRUCTOR)
    classroom = Classroom.objects.create(course=course, name="Bench class", created_by=teacher)
    Membership.objects.create(classroom=classroom, user=teacher, role=ClassRole.INSTRUCTOR)
    users = User.objects.bulk_create(
        [User(username=f"bench-learner-{n}", time_zone=rng.choice(["UTC", "Europe/Paris", "America/New_York"])) for n in range(learners)]
    )
    Membership.objects.bulk_create(
        [Membership(classroom=classroom, user=u, role=ClassRole.LEARNER, joined_at=now - timedelta(days=70)) for u in users]
    )
    ReviewSettings.objects.bulk_create(
        [
            ReviewSettings(user=u, exam_date=(now + timedelta(days=rng.randrange(1, 40))).date() if n % 3 == 0 else None)
            for n, u in enumerate(users)
        ]
    )
    cards = list(Card.objects.live().values_list("pk", flat=True))
    per_learner = reviews // learners
    states: list[ReviewState] = []
    plans: list[list[tuple[int, list[timedelta]]]] = []
    for user in users:
        seen = rng.sample(cards, rng.randrange(min(60, len(cards)), len(cards) + 1))
        times: dict[int, list[timedelta]] = {card: [] for card in seen}
        for _ in range(per_learner):
            times[rng.choice(seen)].append(timedelta(minutes=rng.randrange(60 * 24 * 60)))
        plan = [(card, sorted(ago, reverse=True)) for card, ago in times.items() if ago]
        plans.append(plan)
        for card, ago in plan:
            last = now - ago[-1]
            stability = rng.uniform(0.5, 60.0)
            states.append(
                ReviewState(
                    user=user,
                    card_id=card,
                    state="review",
                    stability=stability,
                    difficulty=rng.uniform(2.0, 9.0),
                    due=last + timedelta(days=stability),
                    last_review=last,
                    reps=len(ago),
                    lapses=sum(1 for _ in ago if rng.random() < 0.1),
                    revision=len(ago),
                    added_at=now - ago[0],
                )
            )
    ReviewState.objects.bulk_create(states, batch_size=5000)
    state_ids = {(s.user_id, s.card_id): s.pk for s in ReviewState.objects.filter(user__in=users).only("pk", "user_id", "card_id")}
    logs = [
        ReviewLog(
            user=user,
            review_state_id=state_ids[(user.pk, card)],
            rating=rng.choice((1, 3, 3, 3, 4)),
            reviewed_at=now - when,
            duration_ms=rng.randrange(2000, 20000),
            was_new=i == 0,
            state_before={"state": "new" if i == 0 else "review"},
            state_after={"state": "review"},
        )
        for user, plan in zip(users, plans, strict=True)
        for card, ago in plan
        for i, when in enumerate(ago)
    ]
    ReviewLog.objects.bulk_create(logs, batch_size=5000)
    for user in users[:mocks]:
        started = now - timedelta(days=rng.randrange(1, 30))
        attempt = quizzes.start_mock(user=user, now=started, rng=rng)
        quizzes.submit_mock(user=user, attempt_id=attempt.pk, now=started + timedelta(minutes=80))
        for slot in AttemptQuestion.objects.filter(attempt=attempt).only("pk"):
            slot.fraction = Decimal(1) if rng.random() < 0.72 else Decimal(0)
            slot.answered_at = started + timedelta(minutes=1)
            slot.save(update_fields=["fraction", "answered_at"])
    return classroom


def timed(runs: int, work) -> tuple[list[float], list[float]]:
    """(wall-clock seconds, this thread's CPU seconds) of each run: on a machine others share, the
    CPU time says what the code costs and the wall clock what a user waited (SQLite runs in this
    thread; PostgreSQL's own work shows only in the wall clock)."""
    wall, cpu = [], []
    for _ in range(runs):
        begin, begin_cpu = time.perf_counter(), time.thread_time()
        work()
        wall.append(time.perf_counter() - begin)
        cpu.append(time.thread_time() - begin_cpu)
    return wall, cpu


def line(label: str, samples: tuple[list[float], list[float]]) -> str:
    def p95(values: list[float]) -> float:
        return sorted(values)[min(len(values) - 1, int(0.95 * len(values)))]

    wall, cpu = samples
    return (
        f"{label:46} wall median {statistics.median(wall) * 1000:6.0f} ms, p95 {p95(wall) * 1000:6.0f} ms;"
        f" CPU median {statistics.median(cpu) * 1000:6.0f} ms, p95 {p95(cpu) * 1000:6.0f} ms (goal < 500 ms)"
    )


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--mocks", type=int, default=100, help="learners with a finished timed mock (default 100)")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    begin = time.perf_counter()
    classroom = build(args.learners, args.reviews, args.mocks, random.Random(14))
    print(
        f"{connection.vendor}: {args.learners} learners, {ReviewLog.objects.count():,} review logs, "
        f"{ReviewState.objects.count():,} review states, {Card.objects.live().count()} cards, {args.mocks} mocks; built in {time.perf_counter() - begin:.0f} s"
    )
    now = timezone.now()
    reports.class_readiness(classroom, now=now)  # warm: the first read pays for connecting and caches
    with CaptureQueriesContext(connection) as queries:
        panel = reports.class_readiness(classroom, now=now)
    print(f"load average before timing: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"report: {len(queries)} queries; {panel.ready} ready, {panel.with_recall} with a prediction, {panel.with_mock} with a mock")
    print(line("classrooms.reports.class_readiness", timed(args.runs, lambda: reports.class_readiness(classroom, now=timezone.now()))))
    client = Client()
    client.force_login(User.objects.get(username="bench-teacher"))
    url = f"/classes/{classroom.pk}/panels/readiness/"
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    print(line(f"GET {url} (HX-Request)", timed(args.runs, lambda: client.get(url, headers={"HX-Request": "true"}))))


if __name__ == "__main__":
    main()
