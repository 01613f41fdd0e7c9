"""Requests per second of studyapp's pages, as a ratio to a bare Django view served the same way.

    .venv/bin/python bench/pages.py [--seconds 10] [--connections 16]

Starts daphne (the ASGI server `make run` uses) with production-like settings on a fresh SQLite file
holding the course, then runs wrk (Debian package `wrk`) against each URL in turn, the bare view
(/healthz/) first and last, and prints requests per second and the ratio to the bare view's mean.
"""

import argparse
import os
import re
import secrets
import socket
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PAGES = {
    "note page": "/courses/compute/lambda/",
    "search": "/search/?q=fargate",
    "search fragment (htmx)": "/search/?q=farg",
    "course home": "/",
}
GOALS = {"note page": 0.30, "search": 0.30, "search fragment (htmx)": 0.30}


def wrk(url: str, seconds: int, connections: int, headers: list[str] = ()) -> float:
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} failed responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


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
    with socket.socket() as probe:  # a free port, so a server left over from another run is never measured
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/daphne"), "-b", "127.0.0.1", "-p", str(port), "studyapp.asgi:application"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("daphne did not start")
                time.sleep(0.1)
        rows = [("bare view (/healthz/)", wrk(base + "/healthz/", args.seconds, args.connections))]
        for name, path in PAGES.items():
            headers = ["HX-Request: true"] if "htmx" in name else []
            rows.append((name, wrk(base + path, args.seconds, args.connections, headers)))
        rows.append(("bare view again", wrk(base + "/healthz/", args.seconds, args.connections)))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    bare = (rows[0][1] + rows[-1][1]) / 2
    print(f"daphne, 1 process, SQLite, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s")
    print(f"{'page':28} {'req/s':>9} {'ratio':>7}  goal")
    for name, rps in rows:
        goal = GOALS.get(name)
        print(f"{name:28} {rps:9.1f} {rps / bare:7.0%}  {'≥ ' + format(goal, '.0%') if goal else ''}")


if __name__ == "__main__":
    main()
