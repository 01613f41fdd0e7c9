"""Requests per second of studyapp's public pages, as a share of a bare Django app's, in one run.

    .venv/bin/python bench/pages.py [--seconds 8] [--connections 8]

Two server processes, as `make run` starts them, start side by side: the bare app
(``bench/bare.py``: one view returning "hello", no middleware) and studyapp with production settings
on a fresh SQLite file holding the course. wrk (Debian package `wrk`) loads one URL at a time: the
bare app first and last, then /healthz/ (the cheapest view through studyapp's middleware), each
page as a visitor, and each page signed in. Ratios are over the mean of the two bare runs.
Goals (issue 12 point 10): visitors' pages >= 30 %, signed-in pages >= 15 %.
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import argparse
import os
import shutil
import subprocess

from common import PY, ROOT, serve, signed_in_posts, use_production_settings_on_a_temp_database, wrk

TMP = use_production_settings_on_a_temp_database()

import django

django.setup()
from django.core.management import call_command

from studyapp.accounts.models import User

PAGES = {
    "course home": "/",
    "note page": "/courses/compute/lambda/",
    "search": "/search/?q=fargate",
    "search fragment (htmx)": "/search/?q=farg",
}
VISITOR_GOAL, SIGNED_IN_GOAL = 0.30, 0.15


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", choices=["visitor", "signed-in"], help="measure one kind of page only")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    call_command("migrate", "--noinput", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_content", verbosity=0, stdout=devnull)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    user = User.objects.create(username="bench-learner")
    _, env = signed_in_posts(user, [], TMP)  # a real session; only its cookie is used here
    cookie = f"Cookie: {env['COOKIE']}"

    def load(base: str, path: str, headers: list[str]) -> float:
        return wrk(base + path, args.seconds, args.connections, headers=headers)

    rows: list[tuple[str, float, float | None]] = []
    with serve(app="bench.bare:application", ready="/") as bare_base, serve() as base:
        bare1 = load(bare_base, "/", [])
        rows.append(("studyapp /healthz/ (middleware)", load(base, "/healthz/", []), None))
        for name, path in PAGES.items():
            htmx = ["HX-Request: true"] if "htmx" in name else []
            if args.only != "signed-in":
                rows.append((f"{name}, visitor", load(base, path, htmx), VISITOR_GOAL))
            if args.only != "visitor":
                rows.append((f"{name}, signed in", load(base, path, [cookie, *htmx]), SIGNED_IN_GOAL))
        bare2 = load(bare_base, "/", [])
    bare = (bare1 + bare2) / 2
    print(f"uvicorn as `make run` starts it, 1 process each, SQLite, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s")
    print(f"{'page':36} {'req/s':>9} {'share':>7}  goal")
    print(f"{'bare app (first, last)':36} {bare:9.1f} {'100%':>7}  ({bare1:.0f}, {bare2:.0f})")
    for name, rps, goal in rows:
        verdict = "" if goal is None else f"≥ {goal:.0%} {'ok' if rps / bare >= goal else 'BELOW GOAL'}"
        print(f"{name:36} {rps:9.1f} {rps / bare:7.0%}  {verdict}")


if __name__ == "__main__":
    main()
