"""Quiz speed.

    .venv/bin/python bench/quiz.py [--seconds 6] [--connections 4]

1. Starting a mock exam (65 questions drawn by the blueprint, options shuffled, attempt written)
   on a bank of 10,000 questions, in process: median of 20 starts. Goal < 100 ms.
2. Autosave: wrk posts answers (with HX-Request, as the page does on every change) to an
   attempt under way, through uvicorn (as `make run` starts it) with production settings, against the bare view /healthz/.
   Goal >= 15 % of the bare view.
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from common import serve, signed_in_posts, use_production_settings_on_a_temp_database, wrk  # bench/ is on sys.path when run as a script

TMP = use_production_settings_on_a_temp_database()

import django

django.setup()
from django.core.management import call_command
from django.utils import timezone

from studyapp.accounts.models import User
from studyapp.content.models import Note, QuestionPlacement
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import CATEGORY_ROOT, Question, QuestionVersion, Status
from studyapp.quizzes import services
from studyapp.quizzes.models import Attempt


def grow_bank(size: int) -> None:
    """Synthetic published questions until the bank holds ``size``: a quarter multiple response, the
    domains at roughly the exam's weights, all placed in the first note's topic. Written in bulk
    (questions.services would take a minute for 10,000, and this is a fixture, not a code path)."""
    note = Note.objects.select_related("course", "topic").first()
    if note is None:
        raise SystemExit("load_content loaded no notes")
    start = Question.objects.count()
    now = timezone.now()
    domains = ["domain-1"] * 24 + ["domain-2"] * 30 + ["domain-3"] * 34 + ["domain-4"] * 12
    questions = [
        Question(
            source_key=f"bench-q-{n}",
            category=f"{CATEGORY_ROOT}/bench",
            status=Status.PUBLISHED,
            kind="multiple" if n % 4 == 0 else "single",
            domain=domains[n % 100],
            option_count=5 if n % 4 == 0 else 4,
        )
        for n in range(size - start)
    ]
    Question.objects.bulk_create(questions, batch_size=2000)
    questions = list(Question.objects.filter(source_key__startswith="bench-q-"))
    versions = []
    for question in questions:
        fractions = ["0.5", "0.5", "-1", "-1", "-1"] if question.kind == "multiple" else ["1", "0", "0", "0"]
        content = QuestionContent(
            kind=Kind(question.kind),
            stem=f"Question {question.pk}?",
            stem_html=f"<p>Question {question.pk}?</p>",
            choices=tuple(Choice(text=f"Option {i}", html=f"Option {i}", fraction=Decimal(f)) for i, f in enumerate(fractions)),
            explanation="Because.",
            explanation_html="<p>Because.</p>",
        )
        versions.append(QuestionVersion(question=question, number=1, data=content.to_json(), checksum=content.checksum, created_at=now))
    QuestionVersion.objects.bulk_create(versions, batch_size=2000)
    by_question = {v.question_id: v.pk for v in QuestionVersion.objects.filter(question__source_key__startswith="bench-q-")}
    for question in questions:
        question.current_version_id = by_question[question.pk]
    Question.objects.bulk_update(questions, ["current_version"], batch_size=2000)
    QuestionPlacement.objects.bulk_create(
        (QuestionPlacement(question=q, course=note.course, topic=note.topic, position=10_000 + n) for n, q in enumerate(questions)),
        batch_size=2000,
    )


def start_part() -> None:
    user = User.objects.create(username="starter")
    samples = []
    for n in range(20):
        begin = time.perf_counter()
        attempt = services.start_mock(user=user, now=timezone.now(), rng=random.Random(n))
        samples.append(time.perf_counter() - begin)
        assert attempt.slots.count() == 65
        Attempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now())  # so the next start draws anew
    print(
        f"start a mock (65 of {Question.objects.published().count():,} questions): median {statistics.median(samples) * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms (goal < 100 ms)"
    )


def autosave_part(args: argparse.Namespace) -> None:
    user = User.objects.create(username="saver")
    attempt = services.start_mock(user=user, now=timezone.now(), rng=random.Random(1))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(days=1))
    script, env = signed_in_posts(user, [f"/quiz/mock/{attempt.pk}/{position}/ option={position % 4}" for position in range(1, 66)], TMP)
    with serve() as base:
        bare1 = wrk(base + "/healthz/", args.seconds, args.connections)
        saves = wrk(base + "/", args.seconds, args.connections, env=env, script=script)
        bare2 = wrk(base + "/healthz/", args.seconds, args.connections)
    bare = (bare1 + bare2) / 2
    saved = attempt.slots.filter(answered_at__isnull=False).count()
    print(f"uvicorn as `make run` starts it, 1 process, SQLite, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s")
    print(f"  bare view /healthz/   {bare:8.1f} req/s")
    print(f"  autosave              {saves:8.1f} req/s  {saves / bare:5.0%} of bare (goal >= 15%); {saved} of 65 questions saved")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    call_command("migrate", "--noinput", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_content", verbosity=0, stdout=devnull)
    grow_bank(10_000)
    start_part()
    autosave_part(args)


if __name__ == "__main__":
    main()
