"""``python manage.py estimate SERVICE --input '<JSON object>'``: print an estimate as JSON.

Exit code 2 and one line per problem ("field: message") for invalid input; never a traceback.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandParser

from studyapp.pricing import registry


class Command(BaseCommand):
    help = "Estimate a monthly AWS bill for one service; prints JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("service", help=f"one of: {', '.join(registry.CALCULATORS)}")
        parser.add_argument("--input", default="{}", help="the inputs as a JSON object (see docs/pricing.md)")
        parser.add_argument("--region", default=registry.DEFAULT_REGION)

    def handle(self, *args: object, service: str, input: str, region: str, **options: object) -> None:
        try:
            raw = json.loads(input)
        except json.JSONDecodeError as error:
            self._fail([f"--input: not valid JSON ({error.msg} at character {error.pos})"])
        if not isinstance(raw, dict):
            self._fail(['--input: must be a JSON object such as {"requests": 3000000}'])
        try:
            estimate = registry.calculate(service, raw, region=region)
        except registry.UnknownService as error:
            self._fail([f"service: {error}"])
        except registry.InputError as error:
            self._fail([f"{name}: {message}" for name, messages in error.errors.items() for message in messages])
        except FileNotFoundError:
            self._fail([f"region: no price tables for {region!r}"])
        self.stdout.write(json.dumps(estimate.as_json(), indent=2, ensure_ascii=False))

    def _fail(self, lines: list[str]) -> None:
        for line in lines:
            self.stderr.write(line)
        sys.exit(2)
