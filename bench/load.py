"""Time loading the whole course: first into an empty database, then unchanged again.

    .venv/bin/python bench/load.py [--repeat 5]

Runs against a fresh SQLite file (or DATABASE_URL when it is set to PostgreSQL) and prints the
median of each figure in milliseconds.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studyapp.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from studyapp.content.loader import load
    from studyapp.content.sync import sync_content

    call_command("migrate", "--noinput", verbosity=0)
    first, again, parse = [], [], []
    for _ in range(args.repeat):
        with connection.cursor() as cursor:  # empty the content tables between rounds
            for table in ["content_noteread", "content_searchentry", "content_card", "content_questionplacement"]:
                cursor.execute(f"DELETE FROM {table}")
            cursor.execute("UPDATE content_question SET current_version_id = NULL")
            for table in ["content_questionversion", "content_question", "content_note", "content_topic", "content_course"]:
                cursor.execute(f"DELETE FROM {table}")
        start = time.perf_counter()
        result = load(ROOT / "content")
        parse.append(time.perf_counter() - start)
        sync_content(result, now=timezone.now())
        first.append(time.perf_counter() - start)
        start = time.perf_counter()
        report = sync_content(load(ROOT / "content"), now=timezone.now())
        again.append(time.perf_counter() - start)
        assert not report.changes, report.summary()
    print(f"database: {connection.vendor}; {report.summary()}")
    print(f"parse files only:          {statistics.median(parse) * 1000:8.1f} ms (median of {args.repeat})")
    print(f"whole-course load (empty): {statistics.median(first) * 1000:8.1f} ms   goal < 2000 ms")
    print(f"unchanged reload:          {statistics.median(again) * 1000:8.1f} ms   goal < 500 ms")


if __name__ == "__main__":
    main()
