"""A class of learners studying at once, without pause, against one server.

    .venv/bin/python bench/load_learners.py [--learners 50] [--seconds 120] [--url http://host:port]

Each simulated learner signs in through the login form (before the clock starts), then loops until
the time is up: reviews five flashcards (shows the answer, rates it), starts a practice quiz of five
questions and answers them, answers five questions of a mock exam (autosave, then Next; the mock is
resumed on the next round and submitted once every question is answered). Every request is timed.

Without ``--url`` the bench starts the server itself as `make run` does with production settings
(``DJANGO_DEBUG=0``) on a fresh SQLite file, or on ``DATABASE_URL`` when that names PostgreSQL (then
``REDIS_URL`` is kept for the cache). With ``--url`` it loads a server already running, which must
use the database this process sees through ``DATABASE_URL``: the learners are created there.

It prints the requests made, the errors by status, p50/p95/p99 per kind of request and overall, and
the lost writes: every POST that succeeded is looked up in the database afterwards (a review log
row per rating, an answered slot per practice answer and mock autosave).
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import http.client
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from common import ROOT, arguments, serve, use_production_settings_on_a_temp_database  # bench/ is on sys.path when run as a script

PASSWORD = "a long bench password 1"
REQUEST_TIMEOUT = 60.0
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


def choose_database() -> Path:
    """Production settings; PostgreSQL (and Redis) when DATABASE_URL names it, else a fresh SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    redis = os.environ.get("REDIS_URL", "")
    tmp = use_production_settings_on_a_temp_database()
    if url.startswith(("postgres://", "postgresql://")):
        os.environ["DATABASE_URL"] = url
        if redis:
            os.environ["REDIS_URL"] = redis
    return tmp


TMP = choose_database()

import django

django.setup()
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from studyapp.accounts.models import User
from studyapp.content.models import Card
from studyapp.quizzes.models import AttemptQuestion
from studyapp.srs.models import ReviewLog, ReviewSettings, ReviewState

# --- the learners' side: plain HTTP/1.1 with keep-alive, one connection per learner ------------


class Failed(Exception):
    """A response that stops the learner's current activity (it starts the next one)."""


@dataclass
class Tally:
    """What every learner did, shared by their threads (under ``lock``)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    reviews: Counter[int] = field(default_factory=Counter)  # user id -> ratings accepted
    answered: set[tuple[int, int]] = field(default_factory=set)  # (attempt, position) saved, practice and mock

    def record(self, kind: str, seconds: float, status: str) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            self.statuses[status] += 1


class Learner:
    """One learner's browser: a cookie jar, the CSRF token, one keep-alive connection."""

    def __init__(self, base: str, username: str, user_id: int, tally: Tally, stop_at: float, rng: random.Random) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.username, self.user_id, self.tally, self.stop_at, self.rng = username, user_id, tally, stop_at, rng
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None
        self.mock: tuple[int, int] | None = None  # (attempt id, next position) of the mock under way

    def request(self, kind: str, method: str, path: str, form: dict[str, str] | None = None, *, htmx: bool = False) -> tuple[int, str, str]:
        """(status, Location, body); a status other than 200 or 302 is tallied as an error and raises Failed."""
        headers = {"Host": f"{self.host}:{self.port}", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            body = urllib.parse.urlencode(form or {}, doseq=True)
        if htmx:
            headers["HX-Request"] = "true"
        start = time.perf_counter()
        for first_try in (True, False):
            reused = self.conn is not None
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (OSError, http.client.HTTPException) as error:
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if first_try and reused and isinstance(error, STALE):
                    continue  # the server had closed this idle keep-alive connection: a browser sends again on a new one
                self.tally.record(kind, time.perf_counter() - start, f"connection: {type(error).__name__}")
                raise Failed(kind) from error
        elapsed = time.perf_counter() - start
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        status = response.status
        self.tally.record(kind, elapsed, str(status))
        if status not in (200, 302):
            with self.tally.lock:
                self.tally.errors.append(f"{status} {method} {path}: {text[:200]!r}")
            raise Failed(kind)
        if response.getheader("Connection", "").lower() == "close" and self.conn is not None:
            self.conn.close()
            self.conn = None
        return status, response.getheader("Location", ""), text

    def sign_in(self) -> str | None:
        """Through the login form, as a browser does; None, or why it failed."""
        try:
            self.request("login page", "GET", "/accounts/login/")
            token = self.cookies.get("csrftoken", "")
            form = {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token}
            status, location, _ = self.request("sign in", "POST", "/accounts/login/", form)
        except Failed:
            return "; ".join(self.tally.errors[-1:]) or "no answer"
        if status != 302 or "sessionid" not in self.cookies:
            return f"status {status}, to {location!r}"
        return None

    def run(self) -> None:
        activities = [self.review, self.practice, self.mock_exam]
        n = self.rng.randrange(3)  # not every learner starts with the same page
        while time.monotonic() < self.stop_at:
            with suppress(Failed):
                activities[n % 3]()
            n += 1

    def review(self, cards: int = 5) -> None:
        for _ in range(cards):
            if time.monotonic() >= self.stop_at:
                return
            _, _, back = self.request("review: show answer", "GET", "/study/review/?show=1", htmx=True)
            fields = dict(re.findall(r'<input type="hidden" name="(kind|item|revision|shown)" value="([^"]*)"', back))
            if "item" not in fields:
                return  # nothing due
            fields["rating"] = self.rng.choice("2333334")
            self.request("review: rate (POST)", "POST", "/study/review/grade/", fields, htmx=True)
            with self.tally.lock:
                self.tally.reviews[self.user_id] += 1

    def practice(self, questions: int = 5) -> None:
        _, location, _ = self.request("practice: start (POST)", "POST", "/quiz/practice/", {"count": str(questions), "only": "all"})
        found = re.search(r"/quiz/attempts/(\d+)/", location)
        if not found:
            raise Failed("practice")
        attempt = int(found.group(1))
        for position in range(1, questions + 1):
            if time.monotonic() >= self.stop_at:
                return
            path = f"/quiz/attempts/{attempt}/{position}/"
            _, _, page = self.request("practice: question", "GET", path, htmx=True)
            options = re.findall(r'name="option" value="(\d+)"', page)
            if not options:
                continue  # answered already (a resumed attempt)
            self.request("practice: answer (POST)", "POST", path, {"option": self.rng.choice(options)}, htmx=True)
            with self.tally.lock:
                self.tally.answered.add((attempt, position))

    def mock_exam(self, questions: int = 5) -> None:
        if self.mock is None:
            _, location, _ = self.request("mock: start (POST)", "POST", "/quiz/mock/", {})
            found = re.search(r"/quiz/mock/(\d+)/", location)
            if not found:
                raise Failed("mock")
            self.mock = (int(found.group(1)), 1)
        attempt, position = self.mock
        for _ in range(questions):
            if time.monotonic() >= self.stop_at:
                return
            path = f"/quiz/mock/{attempt}/{position}/"
            _, _, page = self.request("mock: question", "GET", path)
            options = re.findall(r'name="option" value="(\d+)"', page)
            self.request("mock: autosave (POST)", "POST", path, {"option": self.rng.choice(options or ["0"])}, htmx=True)
            with self.tally.lock:
                self.tally.answered.add((attempt, position))
            if 'value="next"' not in page:  # the last question: submit, and start a new mock next round
                self.request("mock: submit (POST)", "POST", f"/quiz/mock/{attempt}/submit/", {})
                self.mock = None
                return
            position += 1
            self.mock = (attempt, position)


# --- setting up, running, checking ---------------------------------------------------------------


def prepare(learners: int) -> list[tuple[str, int]]:
    """Migrate and load the course (a fresh database), then ``learners`` learners with every card
    due: (username, id). One password hash for all, so setting up takes no minutes."""
    call_command("migrate", "--noinput", verbosity=0)
    if not Card.objects.exists():
        with open(os.devnull, "w") as devnull:
            call_command("load_content", verbosity=0, stdout=devnull)
    start = User.objects.filter(username__startswith="learner-").count()
    password = make_password(PASSWORD)
    User.objects.bulk_create([User(username=f"learner-{n}", password=password) for n in range(start, learners)])
    users = list(User.objects.filter(username__startswith="learner-").order_by("pk")[:learners])
    cards = list(Card.objects.live().values_list("pk", flat=True))
    now = timezone.now()
    for user in users:
        if not ReviewSettings.objects.filter(user=user).exists():
            ReviewSettings.objects.create(user=user)
            ReviewState.objects.bulk_create(
                [
                    ReviewState(
                        user=user,
                        card_id=card,
                        state="review",
                        stability=5.0,
                        difficulty=5.0,
                        due=now - timedelta(hours=1),
                        last_review=now - timedelta(days=6),
                        reps=3,
                        revision=3,
                        added_at=now - timedelta(days=30),
                    )
                    for card in cards
                ],
                batch_size=2000,
            )
    return [(u.username, u.pk) for u in users]


def session_cookies(user_id: int) -> dict[str, str]:
    """A signed-in session made as the login view makes one (see bench/common.signed_in_posts)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    user = User.objects.get(pk=user_id)
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "studyapp.accounts.backends.UserBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    connection.close()
    return {"sessionid": session.session_key or "", "csrftoken": secrets.token_hex(16)}


def server_cpu(base: str) -> float:
    """CPU seconds (user + system) used so far by the server process listening at ``base``; 0.0
    when it is not on this machine (``--url`` elsewhere)."""
    port = urllib.parse.urlsplit(base).port
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and f"\0--port\0{port}\0" in (proc / "cmdline").read_text():
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            continue
    return 0.0


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def lost_writes(tally: Tally, users: list[tuple[str, int]], logs_before: dict[int, int]) -> tuple[int, int]:
    """(successful POSTs checked, how many have no row): each accepted rating is a review log row,
    each saved answer an answered slot."""
    lost = 0
    for _, user_id in users:
        rows = ReviewLog.objects.filter(user_id=user_id).count() - logs_before.get(user_id, 0)
        lost += max(0, tally.reviews[user_id] - rows)
    answered = {
        (a, p)
        for a, p in AttemptQuestion.objects.filter(attempt__user_id__in=[u for _, u in users], answered_at__isnull=False).values_list(
            "attempt_id", "position"
        )
    }
    lost += len(tally.answered - answered)
    return sum(tally.reviews.values()) + len(tally.answered), lost


@contextmanager
def server(url: str | None, log: Path) -> Iterator[str]:
    if url:
        yield url.rstrip("/")
        return
    env = dict(os.environ)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with serve(env, log=log) as base:
        yield base


def main() -> None:
    parser = arguments(__doc__, seconds=120)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--url", help="a server already running (default: start one as `make run` does, on a fresh database)")
    parser.add_argument(
        "--form-sign-ins",
        type=int,
        default=None,
        help="only this many learners sign in through the login form (about 1 s of server CPU each, for the password "
        "hash); the others get a session written to the database, as a sign-in would (default: all through the form)",
    )
    args = parser.parse_args()
    users = prepare(args.learners)
    logs_before = dict(ReviewLog.objects.filter(user_id__in=[u for _, u in users]).values_list("user_id").annotate(n=Count("pk")))
    connection.close()  # the server writes while the bench waits: hold no lock, no snapshot
    log = TMP / "server.log"
    tally = Tally()
    with server(args.url, log) as base:
        learners = [Learner(base, name, pk, tally, 0.0, random.Random(pk)) for name, pk in users]
        started = time.perf_counter()
        form_sign_ins = len(learners) if args.form_sign_ins is None else args.form_sign_ins
        for learner in learners[form_sign_ins:]:
            learner.cookies = session_cookies(learner.user_id)
        # Four at a time: each sign-in costs the server a password hash (about 1 s of CPU), and all
        # at once would only make every one of them wait past the timeout.
        with ThreadPoolExecutor(max_workers=4) as pool:
            for learner, outcome in zip(learners, pool.map(Learner.sign_in, learners[:form_sign_ins]), strict=False):
                if outcome is not None:
                    raise SystemExit(f"{learner.username} could not sign in: {outcome}")
        signed_in = time.perf_counter() - started
        stop_at = time.monotonic() + args.seconds
        for learner in learners:
            learner.stop_at = stop_at
            if learner.conn is not None:  # idle since signing in: start afresh, as a browser would
                learner.conn.close()
                learner.conn = None
        threads = [threading.Thread(target=learner.run) for learner in learners]
        cpu_before = server_cpu(base)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        cpu = server_cpu(base) - cpu_before
    checked, lost = lost_writes(tally, users, logs_before)
    study = {kind: t for kind, t in tally.times.items() if kind not in {"login page", "sign in"}}
    every = [s for t in study.values() for s in t]
    errors = {status: n for status, n in tally.statuses.items() if status not in {"200", "302"}}
    settings_db = connection.settings_dict
    print(
        f"{args.learners} learners, {args.seconds} s, {connection.vendor} ({settings_db['NAME']}), server {'at ' + args.url if args.url else 'as `make run` starts it, 1 process, DEBUG off'}"
    )
    print(
        f"signing in ({form_sign_ins} through the form, 4 at a time, {len(learners) - form_sign_ins} by a session made): {signed_in:.1f} s"
    )
    print(f"{'request':26} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for kind in sorted(study):
        t = study[kind]
        print(
            f"{kind:26} {len(t):7} {percentile(t, 0.5) * 1000:8.0f} {percentile(t, 0.95) * 1000:8.0f} {percentile(t, 0.99) * 1000:8.0f} {max(t) * 1000:8.0f}"
        )
    print(
        f"{'all while studying':26} {len(every):7} {percentile(every, 0.5) * 1000:8.0f} {percentile(every, 0.95) * 1000:8.0f} {percentile(every, 0.99) * 1000:8.0f} {max(every, default=0) * 1000:8.0f}"
    )
    print(
        f"requests: {sum(tally.statuses.values())} ({len(every) / elapsed:.1f}/s while studying, mean {statistics.fmean(every) * 1000:.0f} ms)"
    )
    if cpu > 0:
        print(
            f"server CPU while studying: {cpu:.1f} s, {cpu / max(len(every), 1) * 1000:.1f} ms a request, {cpu / elapsed:.0%} of one core"
        )
    print(f"errors by status: {errors or 'none'}")
    for line in tally.errors[:5]:
        print("  ", line)
    print(f"lost writes: {lost} of {checked} successful POSTs checked against the database")
    if not args.url and log.exists() and log.stat().st_size:
        print(f"server log: {log}")


if __name__ == "__main__":
    main()
