"""A server killed in the middle of a learner's work loses nothing it had acknowledged.

The real server process (uvicorn, as `make run` starts it: tests.servers.server_command) on a database of its own (a SQLite file,
or a PostgreSQL database made for the test when the suite runs on PostgreSQL): a learner signs
in, starts a mock exam and a review session, and keeps answering and rating through HTTP while
the process is killed with SIGKILL. A second process then serves the same database: every answer
and rating that was answered with a 200 is in the database and on the learner's pages.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection

from tests.servers import server_command

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "tests" / "content" / "fixtures" / "demo"
PASSWORD = "restart-test-password-1"


@contextmanager
def server_database(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """(DATABASE_URL, a function running one SQL query there) for an empty database of the test's
    own: a SQLite file, or a PostgreSQL database made for it when the suite runs on PostgreSQL."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        import sqlite3

        path = tmp_path / "server.sqlite3"

        def sqlite_query(sql: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path) as conn:
                return conn.execute(sql).fetchall()

        yield f"sqlite:///{path}", sqlite_query
        return
    import psycopg

    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    name = f"{db['NAME']}_restart"[:63]  # next to the test database, so parallel suites never share it
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def pg_query(sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(dbname=name, **params) as conn:
            return conn.execute(sql).fetchall()

    url = f"postgres://{params['user']}:{params['password']}@{params['host']}:{params['port']}/{name}"
    try:
        yield url, pg_query
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        server_command(port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz/", timeout=2)
            return process, base
        except OSError:
            if process.poll() is not None:
                raise AssertionError("the server did not start") from None
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not answer")


class Browser:
    """A learner's browser: cookies, redirects followed, the CSRF token sent with every POST."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.base = ""

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str, **headers: str) -> tuple[str, str]:
        """(final URL, body)."""
        with self.opener.open(urllib.request.Request(self.base + path, headers=headers), timeout=10) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, data: dict[str, str], **headers: str) -> tuple[str, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"X-CSRFToken": self.csrf(), **headers})
        with self.opener.open(request, timeout=10) as response:
            return response.geturl(), response.read().decode()


def sign_in(browser: Browser) -> None:
    browser.get("/accounts/login/")
    url, _ = browser.post("/accounts/login/", {"username": "learner", "password": PASSWORD, "csrfmiddlewaretoken": browser.csrf()})
    assert "/accounts/login/" not in url


def rating_form(browser: Browser) -> dict[str, str] | None:
    _, back = browser.get("/study/review/?show=1", **{"HX-Request": "true"})
    fields = dict(re.findall(r'<input type="hidden" name="(kind|item|revision|shown)" value="([^"]*)"', back))
    return fields if "item" in fields else None


# Migrate, load the demo course, make one learner: in one process (each `manage.py` costs a start-up).
SET_UP = (
    "from django.core.management import call_command; from studyapp.accounts.models import User; "
    "call_command('migrate', interactive=False, verbosity=0); call_command('load_content', verbosity=0); "
    f"User.objects.create_user('learner', password={PASSWORD!r})"
)


def test_every_acknowledged_answer_and_review_survives_a_killed_server(tmp_path):
    with server_database(tmp_path) as (database_url, query):
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
        env |= {"DATABASE_URL": database_url, "STUDYAPP_CONTENT_DIR": str(DEMO)}
        manage(["shell", "-c", SET_UP], env)

        server, base = start_server(env)
        try:
            browser = Browser()
            browser.base = base
            sign_in(browser)
            url, _ = browser.post("/quiz/mock/", {})
            started = re.search(r"/quiz/mock/(\d+)/1/", url)
            assert started, url
            attempt = int(started.group(1))
            _, first = browser.get(f"/quiz/mock/{attempt}/1/")
            total = int(re.findall(r'value="(\d+)" class="map-button', first)[-1])

            saved_answers: dict[int, str] = {}  # position -> option, each answered 200
            reviews = 0
            killed = threading.Event()

            def work() -> None:
                nonlocal reviews
                position = 1
                while not killed.is_set():
                    try:
                        option = str(position % 2)
                        browser.post(f"/quiz/mock/{attempt}/{position}/", {"option": option}, **{"HX-Request": "true"})
                        saved_answers[position] = option
                        form = rating_form(browser)
                        if form:
                            browser.post("/study/review/grade/", form | {"rating": "3"}, **{"HX-Request": "true"})
                            reviews += 1
                    except (OSError, urllib.error.URLError):
                        return  # the server is gone
                    position = position % total + 1

            worker = threading.Thread(target=work)
            worker.start()
            deadline = time.monotonic() + 10
            while (len(saved_answers) < min(total, 2) or reviews < 2) and time.monotonic() < deadline:
                time.sleep(0.01)
            server.send_signal(signal.SIGKILL)  # while the learner is still clicking
            server.wait(timeout=10)
            killed.set()
            worker.join(timeout=15)
            assert saved_answers and reviews >= 2, "the learner got too little done before the kill"
        finally:
            if server.poll() is None:
                server.kill()
                server.wait(timeout=10)

        # The database has every acknowledged write (a killed request may have added one more).
        rows = dict(
            query(f"SELECT position, selected FROM quizzes_attemptquestion WHERE attempt_id = {attempt} AND answered_at IS NOT NULL")
        )
        assert set(saved_answers) <= set(rows)
        (logged,) = query("SELECT COUNT(*) FROM srs_reviewlog")[0]
        assert logged >= reviews

        server, base = start_server(env)
        try:
            browser.base = base  # the same browser and session: signed in still
            for position, option in saved_answers.items():
                _, page = browser.get(f"/quiz/mock/{attempt}/{position}/")
                assert re.search(rf'name="option" value="{option}" checked', page), f"question {position} lost its answer"
            _, history = browser.get("/study/history.csv")
            assert len(history.strip().splitlines()) - 1 == logged  # a header, then one line per review
            url, _ = browser.post(f"/quiz/mock/{attempt}/submit/", {})
            assert url.endswith(f"/quiz/attempts/{attempt}/results/")
        finally:
            server.terminate()
            server.wait(timeout=10)
