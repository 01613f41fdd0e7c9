"""``python manage.py load_content [PATH] [--check]``: a thin shell over the loader and sync."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from studyapp.content.loader import load
from studyapp.content.sync import count, sync_content


class Command(BaseCommand):
    help = "Load the course from Markdown files into the database (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path, help="content folder (default: content/)")
        parser.add_argument("--check", action="store_true", help="validate only; write nothing")

    def handle(self, *args: object, path: Path | None, check: bool, **options: object) -> None:
        root = path or settings.STUDYAPP_CONTENT_DIR
        result = load(root)
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            noun = "problem" if len(result.problems) == 1 else "problems"
            self.stderr.write(f"{len(result.problems)} {noun} found; nothing was changed.")
            sys.exit(1)
        if check:
            self.stdout.write(count(result).summary(checked=True))
            return
        self.stdout.write(sync_content(result, now=timezone.now()).summary())
