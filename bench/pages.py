"""Requests per second of studyapp's pages, as a ratio to a bare Django view served the same way.

    .venv/bin/python bench/pages.py [--seconds 10] [--connections 16]

Starts daphne (the ASGI server `make run` uses) with production-like settings on a fresh SQLite file
holding the course, then runs wrk (Debian package `wrk`) against each URL in turn, the bare view
(/healthz/) first and last, and prints requests per second and the ratio to the bare view's mean.
"""

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, daphne, wrk

PY = sys.executable
PAGES = {
    "note page": "/courses/compute/lambda/",
    "search": "/search/?q=fargate",
    "search fragment (htmx)": "/search/?q=farg",
    "course home": "/",
}
GOALS = {"note page": 0.30, "search": 0.30, "search fragment (htmx)": 0.30}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp())
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
    }
    env.pop("REDIS_URL", None)
    for command in (["migrate", "--noinput", "-v0"], ["load_content"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with daphne(env) as base:
        rows = [("bare view (/healthz/)", wrk(base + "/healthz/", args.seconds, args.connections))]
        for name, path in PAGES.items():
            headers = ["HX-Request: true"] if "htmx" in name else []
            rows.append((name, wrk(base + path, args.seconds, args.connections, headers=headers)))
        rows.append(("bare view again", wrk(base + "/healthz/", args.seconds, args.connections)))
    bare = (rows[0][1] + rows[-1][1]) / 2
    print(f"daphne, 1 process, SQLite, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s")
    print(f"{'page':28} {'req/s':>9} {'ratio':>7}  goal")
    for name, rps in rows:
        goal = GOALS.get(name)
        print(f"{name:28} {rps:9.1f} {rps / bare:7.0%}  {'≥ ' + format(goal, '.0%') if goal else ''}")


if __name__ == "__main__":
    main()
