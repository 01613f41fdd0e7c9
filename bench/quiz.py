"""Quiz speed.

    .venv/bin/python bench/quiz.py [--seconds 6] [--connections 4]

1. Starting a mock exam (65 questions drawn by the blueprint, options shuffled, attempt written)
   on a bank of 10,000 questions, in process: median of 20 starts. Goal < 100 ms.
2. Autosave: wrk posts answers (with HX-Request, as the page does on every change) to an
   attempt under way, through daphne with production settings, against the bare view /healthz/.
   Goal >= 15 % of the bare view.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import ROOT, daphne, wrk  # noqa: E402  (bench/ is on sys.path when run as a script)

sys.path.insert(0, str(ROOT))
TMP = Path(tempfile.mkdtemp())
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
os.environ |= {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver", "DJANGO_SECURE_SSL_REDIRECT": "0"}

import django  # noqa: E402

django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from studyapp.accounts.models import User  # noqa: E402
from studyapp.content.models import Note, Question, QuestionVersion  # noqa: E402
from studyapp.quizzes import services  # noqa: E402
from studyapp.quizzes.models import Attempt  # noqa: E402

LUA = """
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do bodies[#bodies + 1] = line end
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["HX-Request"] = "true"
wrk.headers["Cookie"] = os.getenv("COOKIE")
wrk.headers["X-CSRFToken"] = os.getenv("CSRF")
request = function()
  i = i + 1
  local line = bodies[(i - 1) % #bodies + 1]
  local path, body = line:match("([^ ]+) (.*)")
  return wrk.format(nil, path, nil, body)
end
"""


def grow_bank(size: int) -> None:
    """Synthetic questions until the live bank holds ``size``: a quarter multiple response, the
    domains at roughly the exam's weights."""
    note = Note.objects.first()
    start = Question.objects.count()
    now = timezone.now()
    domains = ["domain-1"] * 24 + ["domain-2"] * 30 + ["domain-3"] * 34 + ["domain-4"] * 12
    questions = []
    for n in range(size - start):
        multiple = n % 4 == 0
        questions.append(Question(course=note.course, note=note, topic=note.topic, source_key=f"bench-q-{n}",
                                  kind="multiple" if multiple else "single", domain=domains[n % 100], position=10_000 + n, checksum="bench",
                                  option_count=5 if multiple else 4))  # fmt: skip
    Question.objects.bulk_create(questions, batch_size=2000)
    questions = list(Question.objects.filter(source_key__startswith="bench-q-"))
    versions = []
    for question in questions:
        count = 5 if question.kind == "multiple" else 4
        fractions = ["0.5", "0.5", "-1", "-1", "-1"] if count == 5 else ["1", "0", "0", "0"]
        options = [{"text": f"Option {i}", "html": f"Option {i}", "fraction": f, "feedback": "", "feedback_html": ""} for i, f in enumerate(fractions)]
        data = {"kind": question.kind, "name": "", "stem": f"Question {question.pk}?", "stem_html": f"<p>Question {question.pk}?</p>",
                "options": options, "explanation": "Because.", "explanation_html": "<p>Because.</p>"}  # fmt: skip
        versions.append(QuestionVersion(question=question, number=1, data=data, checksum="bench", created_at=now))
    QuestionVersion.objects.bulk_create(versions, batch_size=2000)
    by_question = {v.question_id: v.pk for v in QuestionVersion.objects.filter(question__source_key__startswith="bench-q-")}
    for question in questions:
        question.current_version_id = by_question[question.pk]
    Question.objects.bulk_update(questions, ["current_version"], batch_size=2000)


def start_part() -> None:
    user = User.objects.create(username="starter")
    samples = []
    for n in range(20):
        begin = time.perf_counter()
        attempt = services.start_mock(user=user, now=timezone.now(), rng=random.Random(n))
        samples.append(time.perf_counter() - begin)
        assert attempt.slots.count() == 65
        Attempt.objects.filter(pk=attempt.pk).update(finished_at=timezone.now())  # so the next start draws anew
    print(f"start a mock (65 of {Question.objects.live().count():,} questions): median {statistics.median(samples) * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms (goal < 100 ms)")


def autosave_part(args: argparse.Namespace) -> None:
    user = User.objects.create(username="saver")
    attempt = services.start_mock(user=user, now=timezone.now(), rng=random.Random(1))
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() + timedelta(days=1))
    session = SessionStore()
    session[SESSION_KEY], session[BACKEND_SESSION_KEY], session[HASH_SESSION_KEY] = str(user.pk), "studyapp.accounts.backends.UserBackend", user.get_session_auth_hash()
    session.save()
    csrf = secrets.token_hex(16)
    bodies = TMP / "bodies.txt"
    bodies.write_text("".join(f"/quiz/mock/{attempt.pk}/{position}/ option={position % 4}\n" for position in range(1, 66)))
    script = TMP / "save.lua"
    script.write_text(LUA)
    with daphne() as base:
        bare1 = wrk(base + "/healthz/", args.seconds, args.connections)
        env = {"BODIES": str(bodies), "COOKIE": f"sessionid={session.session_key}; csrftoken={csrf}", "CSRF": csrf}
        saves = wrk(base + "/", args.seconds, args.connections, env=env, script=script)
        bare2 = wrk(base + "/healthz/", args.seconds, args.connections)
    bare = (bare1 + bare2) / 2
    saved = attempt.slots.filter(answered_at__isnull=False).count()
    print(f"daphne, 1 process, SQLite, DEBUG off; wrk -t1 -c{args.connections} -d{args.seconds}s")
    print(f"  bare view /healthz/   {bare:8.1f} req/s")
    print(f"  autosave              {saves:8.1f} req/s  {saves / bare:5.0%} of bare (goal >= 15%); {saved} of 65 questions saved")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("load_content", verbosity=0, stdout=open(os.devnull, "w"))
    grow_bank(10_000)
    start_part()
    autosave_part(args)


if __name__ == "__main__":
    main()
