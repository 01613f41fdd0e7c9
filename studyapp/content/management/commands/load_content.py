"""``python manage.py load_content [PATH] [--check | --stats]``: a thin shell over the loader, sync and the report."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from studyapp.content.loader import load
from studyapp.content.stats import course_stats, exam_counts, format_stats
from studyapp.content.sync import count, sync_content


class Command(BaseCommand):
    help = (
        "Load the course from Markdown files into the database (all or nothing). --check validates only; "
        "--stats prints the content report for authors (counts per topic and exam domain, the scenario share) "
        "and warns where a domain's exam-relevant pool is under twice what a mock draws: a report, "
        "so it exits 0 even when it warns. Neither writes to the database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="content folder (default: content/)")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--check", action="store_true", help="validate only; write nothing")
        mode.add_argument(
            "--stats",
            action="store_true",
            help="validate, then print counts per topic and domain with warnings (exit status 0 when the content is valid); write nothing",
        )

    def handle(self, *args: object, path: Path | None, check: bool, stats: bool, **options: object) -> None:
        root = path or settings.STUDYAPP_CONTENT_DIR
        result = load(root)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            noun = "problem" if len(result.problems) == 1 else "problems"
            self.stderr.write(f"{len(result.problems)} {noun} found; nothing was changed.")
            sys.exit(1)
        if stats:
            exam = exam_counts()
            self.stdout.write("\n\n".join(format_stats(course_stats(course, exam=exam)) for course in result.courses))
            return
        if check:
            self.stdout.write(count(result).summary(checked=True))
            return
        self.stdout.write(sync_content(result, now=timezone.now()).summary())
