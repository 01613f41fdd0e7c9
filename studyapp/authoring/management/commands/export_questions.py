"""``python manage.py export_questions --format gift|aiken|moodlexml [--category PATH]``: the bank (or
one category and those below it) to standard output; what the format cannot hold is listed on
standard error. A thin shell over :func:`studyapp.authoring.services.export_questions`."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from studyapp.authoring import services

from .import_questions import INTERFACE_FORMATS


class Command(BaseCommand):
    help = (
        "Write the question bank's questions (retired ones left out, latest versions) as GIFT, Aiken or Moodle XML "
        "to standard output. Questions the format cannot hold (Aiken: all but single-answer multiple choice) are "
        "left out and listed on standard error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", required=True, choices=INTERFACE_FORMATS, dest="fmt", help="the format to write")
        parser.add_argument("--category", help="only this category and those below it ($course$/top/...)")

    def handle(self, *args: object, fmt: str, category: str | None, **options: object) -> None:
        if fmt not in services.FORMATS:
            raise CommandError(f"the {fmt} format is not available yet", returncode=2)
        export = services.export_questions(category=services.normal_category(category) if category else None, fmt=fmt)
        self.stdout.write(export.text, ending="")
        for skipped in export.skipped:
            self.stderr.write(f"skipped question {skipped.question_id} ({skipped.name}): {skipped.reason}")
        if export.skipped:
            self.stderr.write(f"{export.count} exported, {len(export.skipped)} skipped")
