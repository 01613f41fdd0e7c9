"""Import of a 5,000-question GIFT file (issue 16): ``import_questions`` end to end.

    .venv/bin/python bench/import_gift.py [--questions 5000] [--runs 3]
    DATABASE_URL=postgres://studyapp:studyapp@127.0.0.1:5432/studyapp_transfer .venv/bin/python bench/import_gift.py

Generates a GIFT file of ``--questions`` questions (every supported kind, with ids, tags, per-option
and general feedback, over 20 categories, plus one broken question and one essay in every 500), then
times, as an author who owns the categories' root, decoding + parsing + ``import_questions``:

1. into an empty bank (every question created, each in its own savepoint);
2. the same file again (every question found by its id, worded the same: nothing written);
3. the file with every stem changed (every question revised: a new version each).

Wall time is the median of ``--runs`` runs of each (the bank emptied before each run of 1); then one
more run of 1 under ``tracemalloc`` gives the peak of Python allocations during the import, and
``resource.getrusage`` the process's peak resident memory (Django and the interpreter included).
Goal: under 10 s and under 200 MB. Production settings (DEBUG off) on a fresh SQLite file, or on
``DATABASE_URL`` when it names PostgreSQL (give it a database of its own: the bench empties its
bank). Stops by itself: at most ``--runs`` × 3 + 1 imports, and an alarm after 15 minutes.
"""

# ruff: noqa: E402  (Django is imported and set up after the settings are chosen, then the models)

import os
import resource
import signal
import statistics
import time
import tracemalloc

from common import arguments, use_production_settings_on_a_temp_database  # bench/ is on sys.path when run as a script

URL = os.environ.get("DATABASE_URL", "")
TMP = use_production_settings_on_a_temp_database()
if URL.startswith(("postgres://", "postgresql://")):
    os.environ["DATABASE_URL"] = URL

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from studyapp.accounts.models import Role, User
from studyapp.authoring import services
from studyapp.authoring.models import Category
from studyapp.questions.models import Question, QuestionVersion

ROOT = "$course$/top/Bench"


def question(n: int) -> str:
    """One question, of a kind that turns with ``n``; every 500th is broken and every 500th + 1 an essay."""
    meta = f"// [id:q{n}] [tag:domain-{n % 4 + 1}] [tag:bench]\n"
    name = f"::Q{n}::"
    if n % 500 == 7:
        return f"{meta}{name}How many lambdas fit in {n}? {{#many}}"
    if n % 500 == 8:
        return f"{meta}{name}Write about function {n}. {{}}"
    kind = n % 6
    if kind == 0:
        return (
            f"{meta}{name}Which service runs function {n} without servers?{{\n"
            f"  =AWS Lambda#Right: it is serverless.\n  ~Amazon EC2#A server.\n  ~Amazon S3#Storage.\n"
            f"  ~Amazon RDS#A database.\n  ####Lambda runs code on demand.}}"
        )
    if kind == 1:
        return f"{meta}{name}Pick the two compute services for job {n}.{{~%50%AWS Lambda ~%50%AWS Fargate ~%-100%Amazon S3 ~Amazon SQS}}"
    if kind == 2:
        return f"{meta}{name}Lambda bills function {n} per millisecond.{{TRUE#It bills per ms.#Right.}}"
    if kind == 3:
        return f"{meta}{name}Name the serverless compute service ({n}).{{=Lambda =AWS Lambda#Both are fine.}}"
    if kind == 4:
        return f"{meta}{name}How many GB of memory may function {n} have at most?{{#10:0.25####Ten GB.}}"
    return f"{meta}{name}Match service and model ({n}).{{=Lambda -> functions =Fargate -> containers =EC2 -> servers}}"


def gift_file(count: int, *, revision: str = "") -> bytes:
    blocks: list[str] = []
    for n in range(count):
        if n % (count // 20 or 1) == 0:
            blocks.append(f"$CATEGORY: {ROOT}/Unit {n // (count // 20 or 1) + 1}")
        blocks.append(question(n).replace("?{", f"{revision}?{{").replace(".{", f"{revision}.{{"))
    return ("\n\n".join(blocks) + "\n").encode()


def run_import(data: bytes, author: User) -> services.ImportReport:
    result = services.parse(services.decode(data), fmt="gift")
    return services.import_questions(result=result, by=author, now=timezone.now(), default_category=None, dry_run=False)


def timed(data: bytes, author: User) -> tuple[float, services.ImportReport]:
    start = time.perf_counter()
    report = run_import(data, author)
    return time.perf_counter() - start, report


def empty_bank() -> None:
    Question.objects.update(current_version=None)
    QuestionVersion.objects.all().delete()
    Question.objects.all().delete()


def main() -> None:
    parser = arguments(__doc__, seconds=0)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    signal.alarm(15 * 60)  # bounded whatever happens

    call_command("migrate", "--noinput", verbosity=0)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux: Django set up, before any file
    author, _ = User.objects.get_or_create(username="bench-author", defaults={"role": Role.AUTHOR})
    Category.objects.get_or_create(path=ROOT, defaults={"owner": author, "created_at": timezone.now()})
    data, revised = gift_file(options.questions), gift_file(options.questions, revision=" (revised)")
    print(f"{connection.vendor}; file: {options.questions} questions, {len(data) / 1024 / 1024:.2f} MB")

    figures: dict[str, list[float]] = {"create": [], "unchanged": [], "revise": []}
    for _ in range(options.runs):
        empty_bank()
        seconds, report = timed(data, author)
        figures["create"].append(seconds)
        print(f"  create     {seconds:6.2f} s  {report.summary()}")
        seconds, report = timed(data, author)
        figures["unchanged"].append(seconds)
        print(f"  unchanged  {seconds:6.2f} s  {report.summary()}")
        seconds, report = timed(revised, author)
        figures["revise"].append(seconds)
        print(f"  revise     {seconds:6.2f} s  {report.summary()}")

    empty_bank()
    tracemalloc.start()
    run_import(data, author)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    for name, values in figures.items():
        print(f"{name:10} median {statistics.median(values):6.2f} s (runs: {', '.join(f'{v:.2f}' for v in values)})")
    print(
        f"peak Python allocations during an import: {peak / 1024 / 1024:.0f} MB; process peak RSS: {rss:.0f} MB (before the first import: {baseline:.0f} MB)"
    )
    empty_bank()


if __name__ == "__main__":
    main()
