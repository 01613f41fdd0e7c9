"""Card browser speed.

    .venv/bin/python bench/cards.py [--seconds 8] [--connections 4]

Through the server `make run` starts (uvicorn), with production settings: wrk GETs the card browser (/study/cards/) as a learner
with 5,000 cards in the queue (the whole page, a filtered htmx page of the list, a search), beside
the bare Django app (bench/bare.py, served the same way) in the same run, and /healthz/ signed in
(the cheapest learner's request); then the queries one request takes. Goal: >= 30 % of the bare
app's requests per second, <= 5 queries (also checked by tests/srs/test_browser.py). The learner's
page cache answers a page loaded before; the "not cached" lines build it on every request.
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import argparse
import os
import shutil
from datetime import timedelta

from common import (  # bench/ is on sys.path when run as a script
    signed_in_posts,
    signed_in_rates,
    use_production_settings_on_a_temp_database,
)

TMP = use_production_settings_on_a_temp_database()

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from studyapp.accounts.models import User
from studyapp.content.models import Card, Note
from studyapp.srs.models import ReviewSettings, ReviewState

CARDS = 5_000
PAGES = {
    "card browser, whole page": ("/study/cards/", False),
    "filtered list (htmx), page 40": ("/study/cards/?state=review&page=40", True),
    "search (htmx)": ("/study/cards/?q=front+42", True),
    # The learner's page cache (core.pagecache.signed_in_page) answers the three above after their
    # first request; these are built every time (a new URL per request, as a first visit is).
    "whole page, not cached": ("/study/cards/?visit={n}", False),
    "search (htmx), not cached": ("/study/cards/?q=front+{n}", True),
}
GOAL = 0.30


def learner_with_queue() -> User:
    note = Note.objects.first()
    if note is None:
        raise SystemExit("load_content loaded no notes")
    Card.objects.bulk_create(
        (
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
            for n in range(CARDS)
        ),
        batch_size=2000,
    )
    user = User.objects.create(username="bench")
    ReviewSettings.objects.create(user=user)
    now = timezone.now()
    ReviewState.objects.bulk_create(
        (
            ReviewState(
                user=user,
                card=card,
                state="review",
                stability=5.0,
                difficulty=5.0,
                due=now + timedelta(hours=card.pk % 500),
                last_review=now - timedelta(days=6),
                reps=3,
                revision=3,
                added_at=now - timedelta(days=30),
                flagged=card.pk % 10 == 0,
            )
            for card in Card.objects.filter(source_key__startswith="bench-")
        ),
        batch_size=2000,
    )
    return user


def queries(user: User) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    counts = {}
    for name, (path, htmx) in PAGES.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path.replace("{n}", "1"), headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = sum(1 for q in captured if not q["sql"].lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")))
    return counts


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
    user = learner_with_queue()
    _, env = signed_in_posts(user, [], TMP)  # a real session; only its cookie is used here
    cookie = f"Cookie: {env['COOKIE']}"
    measured = signed_in_rates(PAGES, cookie, seconds=args.seconds, connections=args.connections)
    bare, bare1, bare2, healthz, rates = measured.bare, measured.bare_first, measured.bare_last, measured.healthz, measured.pages
    counts = queries(user)
    print(
        f"uvicorn (make run), 1 process, SQLite, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s; {CARDS:,} cards in the learner's queue"
    )
    print(f"  {'bare app (bench/bare.py)':32} {bare:8.1f} req/s  (first {bare1:.1f}, last {bare2:.1f})")
    print(f"  {'/healthz/ signed in':32} {healthz:8.1f} req/s  {healthz / bare:5.0%} of bare")
    for name, rate in rates.items():
        verdict = "ok" if rate / bare >= GOAL else "BELOW GOAL"
        print(f"  {name:32} {rate:8.1f} req/s  {rate / bare:5.0%} of bare (goal >= {GOAL:.0%}: {verdict}); {counts[name]} queries")


if __name__ == "__main__":
    main()
