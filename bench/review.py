"""Flashcard review speed.

    .venv/bin/python bench/review.py [--seconds 8] [--connections 4]

1. Review POST → next card, through uvicorn (as `make run` starts it) with production settings: wrk posts ratings (with
   ``HX-Request``, so each answer is the next card's fragment) for a learner with 2,000 cards due,
   each request rating a different card; compared with the bare view /healthz/ in the same run.
2. Scale: the server time of the review screen and of a review POST, in process, for a learner with
   1,000 and with 100,000 logged reviews, and the query plan of the due query (it must use an index).
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import argparse
import os
import shutil
import statistics
import time
from collections.abc import Iterator
from datetime import timedelta
from functools import partial

from common import serve, signed_in_posts, use_production_settings_on_a_temp_database, wrk  # bench/ is on sys.path when run as a script

TMP = use_production_settings_on_a_temp_database()

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from studyapp.accounts.models import User
from studyapp.content.models import Card, Note
from studyapp.srs import queue
from studyapp.srs.models import ReviewLog, ReviewSettings, ReviewState


def learner_with_cards(name: str, cards: list[Card], *, due_ago: timedelta) -> User:
    user = User.objects.create(username=name)
    ReviewSettings.objects.create(user=user)
    now = timezone.now()
    ReviewState.objects.bulk_create(
        [
            ReviewState(
                user=user,
                card=card,
                state="review",
                stability=5.0,
                difficulty=5.0,
                due=now - due_ago,
                last_review=now - timedelta(days=6),
                reps=3,
                revision=3,
                added_at=now - timedelta(days=30),
            )
            for card in cards
        ],
        batch_size=2000,
    )
    return user


def add_history(user: User, reviews: int) -> None:
    states = list(ReviewState.objects.filter(user=user).values_list("pk", flat=True))
    start = timezone.now() - timedelta(days=365)
    step = timedelta(days=364) / reviews
    memory = {
        "state": "review",
        "step": None,
        "stability": 5.0,
        "difficulty": 5.0,
        "due": None,
        "last_review": None,
        "reps": 3,
        "lapses": 0,
    }
    ReviewLog.objects.bulk_create(
        [
            ReviewLog(
                user=user,
                review_state_id=states[n % len(states)],
                rating=3,
                reviewed_at=start + n * step,
                duration_ms=4000,
                was_new=False,
                state_before=memory,
                state_after=memory,
            )
            for n in range(reviews)
        ],
        batch_size=5000,
    )


def http_part(args: argparse.Namespace, user: User, cards: list[Card]) -> None:
    shown = time.time()
    script, env = signed_in_posts(
        user, [f"/study/review/grade/ kind=card&item={c.pk}&revision=3&rating=3&shown={shown}" for c in cards], TMP
    )
    with serve() as base:
        bare1 = wrk(base + "/healthz/", args.seconds, args.connections)
        before = ReviewLog.objects.count()
        posts = wrk(base + "/", args.seconds, args.connections, env=env, script=script)
        recorded = ReviewLog.objects.count() - before
        bare2 = wrk(base + "/healthz/", args.seconds, args.connections)
    bare = (bare1 + bare2) / 2
    print(f"uvicorn as `make run` starts it, 1 process, SQLite, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s")
    print(f"  bare view /healthz/         {bare:8.1f} req/s")
    print(f"  review POST -> next card    {posts:8.1f} req/s  {posts / bare:5.0%} of bare (goal >= 15%); {recorded} reviews recorded")


def timed(fn, repeat: int = 60) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def grade_next(client: Client, pending: Iterator[int]) -> None:
    """Rate the next card of ``pending`` Good, as the review screen's buttons do."""
    client.post("/study/review/grade/", {"kind": "card", "item": next(pending), "revision": 3, "rating": 3}, headers={"HX-Request": "true"})


def scale_part(cards: list[Card]) -> None:
    print("server time in process (median ms) by size of the learner's review log:")
    for reviews in (1_000, 100_000):
        user = learner_with_cards(f"scale{reviews}", cards[:2000], due_ago=timedelta(hours=1))
        add_history(user, reviews)
        client = Client()
        client.force_login(user)
        pending = iter(ReviewState.objects.filter(user=user).order_by("pk").values_list("card_id", flat=True))
        screen = timed(partial(client.get, "/study/review/"))
        grade = timed(partial(grade_next, client, pending))
        print(f"  {reviews:>7,} reviews: review screen {screen:6.2f} ms, review POST -> next card {grade:6.2f} ms")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN QUERY PLAN " + queue._first_state_sql("s.state = 'review' AND s.due <= %(now)s", None), queue._params(user, now)
        )
        print("next review due, query plan:", "; ".join(row[-1] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    call_command("migrate", "--noinput", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_content", verbosity=0, stdout=devnull)
    note = Note.objects.first()
    if note is None:
        raise SystemExit("load_content loaded no notes")
    Card.objects.bulk_create(
        [
            Card(
                course=note.course,
                note=note,
                source_key=f"bench-{n}",
                kind="basic",
                front_html=f"<p>Front {n}</p>",
                back_html=f"<p>Back {n}</p>",
                position=100_000 + n,
                checksum="bench",
            )
            for n in range(2_000)
        ],
        batch_size=5000,
    )
    cards = list(Card.objects.filter(source_key__startswith="bench-").order_by("pk"))
    user = learner_with_cards("bench", cards, due_ago=timedelta(hours=1))
    http_part(args, user, cards)
    scale_part(cards)


if __name__ == "__main__":
    main()
