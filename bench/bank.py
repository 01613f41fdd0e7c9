"""The question bank's page speed (issue 16).

    .venv/bin/python bench/bank.py [--seconds 8] [--connections 4] [--questions 10000]

Through the server `make run` starts (uvicorn), with production settings on a fresh SQLite file holding the course: wrk GETs the bank
(/author/questions/) as an author with ``--questions`` authored questions in 40 categories (a third of
them another author's), three tags each, beside the bare Django app (bench/bare.py, served the same way
too) in the same run, and /healthz/ signed in (the cheapest signed-in request). Measured: the whole
page, a category of the tree (htmx, the list), a search with a filter (htmx), a deep page, each kept
in the author's page cache after its first request; then a whole page and a search with a new URL on
every request, built each time. Then the queries a page's first build takes. Goal: >= 30 % of the
bare app's requests per second, <= 6 queries (also asserted by tests/authoring/test_bank.py). The questions are a fixture (bulk_create), not a code path.
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import argparse
import os
import random
import shutil

from common import (  # bench/ is on sys.path when run as a script
    signed_in_posts,
    signed_in_rates,
    use_production_settings_on_a_temp_database,
)

TMP = use_production_settings_on_a_temp_database()

import django

django.setup()
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from studyapp.accounts.models import Role, User
from studyapp.authoring.models import Category
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import Question, QuestionVersion, Status

MINE, THEIRS = "$course$/top/Bench", "$course$/top/Others"
PAGES = {
    "bank, whole page": ("/author/questions/", False),
    "a category (htmx)": (f"/author/questions/?category={MINE}/C3".replace("$", "%24"), True),
    "search + status (htmx)": ("/author/questions/?q=lambda+scales&status=published", True),
    "page 100 (htmx)": ("/author/questions/?page=100", True),
    # The author's page cache (core.pagecache.signed_in_page) answers the four above after their
    # first request; these are built every time (a new URL per request, as a first visit is).
    "whole page, not cached": ("/author/questions/?visit={n}", False),
    "search (htmx), not cached": ("/author/questions/?q=lambda+{n}", True),
}
GOAL, MAX_QUERIES = 0.30, 6
WORDS = [
    "Which",
    "service",
    "scales",
    "lambda",
    "containers",
    "batch",
    "fargate",
    "lightsail",
    "ecs",
    "eks",
    "instances",
    "pricing",
    "spot",
    "reserved",
]


def bank(count: int) -> User:
    author = User.objects.create(username="bench-author", role=Role.AUTHOR)
    other = User.objects.create(username="bench-other", role=Role.AUTHOR)
    now = timezone.now()
    Category.objects.bulk_create([Category(path=MINE, owner=author, created_at=now), Category(path=THEIRS, owner=other, created_at=now)])
    rng = random.Random(16)
    kinds = [Kind.SINGLE, Kind.MULTIPLE, Kind.TRUEFALSE]
    statuses = [Status.PUBLISHED, Status.DRAFT, Status.RETIRED]
    questions = Question.objects.bulk_create(
        (
            Question(
                category=f"{THEIRS if n % 3 == 0 else MINE}/C{n % 20}",
                status=statuses[n % 3],
                author=other if n % 3 == 0 else author,
                kind=kinds[n % 3],
                domain=f"domain-{n % 4 + 1}",
                tags=[f"tag-{n % 30}", f"week-{n % 12}", "bench"],
                option_count=2,
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    choices = (Choice(text="True", fraction=Decimal(1)), Choice(text="False", fraction=Decimal(0)))
    versions = QuestionVersion.objects.bulk_create(
        (
            QuestionVersion(
                question=q,
                number=1,
                data=QuestionContent(
                    kind=Kind.TRUEFALSE, stem=" ".join(rng.choices(WORDS, k=14)) + f" ({q.pk})?", choices=choices
                ).to_json(),
                checksum="bench",
                created_at=now,
            )
            for q in questions
        ),
        batch_size=2000,
    )
    for question, version in zip(questions, versions, strict=True):
        question.current_version = version
    Question.objects.bulk_update(questions, ["current_version"], batch_size=2000)
    return author


def queries(user: User) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    counts = {}
    for name, (path, htmx) in PAGES.items():
        client.get("/author/questions/?warm=1")  # the topics are remembered per content version
        with CaptureQueriesContext(connection) as captured:  # the page's first build, not the cache's answer
            response = client.get(path.replace("{n}", "1"), headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = sum(1 for q in captured if not q["sql"].lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE")))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--questions", type=int, default=10_000)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    call_command("migrate", "--noinput", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_content", verbosity=0, stdout=devnull)
    user = bank(args.questions)
    total = Question.objects.count()
    _, env = signed_in_posts(user, [], TMP)  # a real session; only its cookie is used here
    cookie = f"Cookie: {env['COOKIE']}"
    measured = signed_in_rates(PAGES, cookie, seconds=args.seconds, connections=args.connections)
    bare, bare1, bare2, healthz, rates = measured.bare, measured.bare_first, measured.bare_last, measured.healthz, measured.pages
    counts = queries(user)
    print(
        f"uvicorn (make run), 1 process, SQLite, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s; {total:,} questions in the bank"
    )
    print(f"  {'bare app (bench/bare.py)':28} {bare:8.1f} req/s  (first {bare1:.1f}, last {bare2:.1f})")
    print(f"  {'/healthz/ signed in':28} {healthz:8.1f} req/s  {healthz / bare:5.0%} of bare")
    for name, rate in rates.items():
        verdict = "ok" if rate / bare >= GOAL else "BELOW GOAL"
        query_verdict = "ok" if counts[name] <= MAX_QUERIES else "OVER"
        print(
            f"  {name:28} {rate:8.1f} req/s  {rate / bare:5.0%} of bare (goal >= {GOAL:.0%}: {verdict}); {counts[name]} queries ({query_verdict})"
        )


if __name__ == "__main__":
    main()
