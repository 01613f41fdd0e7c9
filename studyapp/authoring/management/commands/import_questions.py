"""``python manage.py import_questions FILE --format gift|aiken|moodlexml [--category PATH] [--dry-run] [--json]``:
a thin shell over :func:`studyapp.authoring.services.import_questions`.

Exit status: 0 when every question of the file was imported (or was already in the bank, worded the
same), 1 when some were refused, skipped or unreadable (each one is listed with its line and name),
2 for a file that cannot be used at all (missing, too big, not UTF-8, not the format).
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from studyapp.authoring import services
from studyapp.authoring.formats import interchange
from studyapp.authoring.services import Action, ImportReport
from studyapp.questions.formats.gift import ParseResult

INTERFACE_FORMATS = ("gift", "aiken", "moodlexml")


class Command(BaseCommand):
    help = (
        "Import questions from a GIFT, Aiken or Moodle XML file. Good questions are imported (as drafts), broken "
        "ones listed with their line; each question is imported whole or not at all, and a question whose id is "
        "already in its category gets a new version instead of a copy. Exit status 0: all imported; 1: some "
        "refused, skipped (essays, descriptions) or unreadable; 2: the file cannot be used (missing, over 2 MB, not UTF-8, not the format)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the file to import (UTF-8, at most 2 MB)")
        parser.add_argument("--format", required=True, choices=INTERFACE_FORMATS, dest="fmt", help="the file's format")
        parser.add_argument("--category", help="category for questions the file does not place ($course$/top/... or a path below the top)")
        parser.add_argument("--dry-run", action="store_true", help="say what would be imported; write nothing")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the parsed questions and every error as JSON")

    def handle(self, *args: object, file: Path, fmt: str, category: str | None, dry_run: bool, as_json: bool, **options: object) -> None:
        if fmt not in services.FORMATS:
            raise CommandError(f"the {fmt} format is not available yet", returncode=2)
        try:
            data = _read(file)
            result = services.parse(services.decode(data), fmt=fmt)
        except (OSError, services.UnusableFile) as error:
            raise CommandError(f"{file}: {error}", returncode=2) from None
        if not result.questions and not result.errors:
            raise CommandError(f"{file}: the file holds no questions", returncode=2)
        default = services.normal_category(category) if category else None
        report = services.import_questions(result=result, by=None, now=timezone.now(), default_category=default, dry_run=dry_run)
        if as_json:
            self.stdout.write(_json(result, report))
        else:
            self._human(file, report)
        if report.exit_status:
            sys.exit(report.exit_status)

    def _human(self, file: Path, report: ImportReport) -> None:
        if report.dry_run:
            for item in report.items:
                if item.action in (Action.CREATE, Action.REVISE, Action.UNCHANGED):
                    what = {Action.CREATE: "will be created", Action.REVISE: "will be revised", Action.UNCHANGED: "unchanged"}
                    self.stdout.write(f"{file}:{item.line}: {item.name}: {what[item.action]} in {item.category}")
        for error in report.all_errors:
            self.stderr.write(f"{file}:{error.line}: {error.name}: {error.message}")
        suffix = " (dry run: nothing was written)" if report.dry_run else ""
        self.stdout.write(f"{file}: {report.summary()}{suffix}")


def _read(file: Path) -> bytes:
    """At most one byte more than the importer takes, so that a file too big is reported, not read whole."""
    with file.open("rb") as handle:
        return handle.read(services.MAX_IMPORT_BYTES + 1)


def _json(result: ParseResult, report: ImportReport) -> str:
    """The parse result's JSON (which lists the skipped essays and descriptions itself) with the
    importer's refusals added to its errors."""
    data = interchange.to_json(result)
    refused: list[interchange.ErrorJson] = [
        {"line": item.line, "message": f"{item.name}: {item.message}" if item.name else item.message} for item in report.of(Action.REFUSE)
    ]
    data["errors"] = sorted([*data["errors"], *refused], key=lambda error: error["line"])
    return json.dumps(data, ensure_ascii=False, indent=2)
