"""The calculators by name, and their price tables (read once per process from content/pricing/)."""

import random
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from django.conf import settings

from .calculators import api_gateway, aws_lambda, batch, ecr, fargate, lightsail
from .money import Estimate, InputError, parse
from .tables import Table, load_table

CALCULATORS: dict[str, ModuleType] = {m.SERVICE: m for m in (aws_lambda, fargate, api_gateway, ecr, batch, lightsail)}
DEFAULT_REGION = "us-east-1"


class UnknownService(LookupError):
    pass


def pricing_root() -> Path:
    return Path(settings.STUDYAPP_CONTENT_DIR) / "pricing"


def calculator(service: str) -> ModuleType:
    try:
        return CALCULATORS[service]
    except KeyError:
        raise UnknownService(f"unknown service {service!r} (known: {', '.join(CALCULATORS)})") from None


@lru_cache(maxsize=32)
def table(service: str, region: str = DEFAULT_REGION) -> Table:
    return load_table(pricing_root(), service, region)


def calculate(service: str, raw: Mapping[str, object], *, region: str = DEFAULT_REGION) -> Estimate:
    """Parse ``raw`` inputs (form, query string or JSON) and price them. Raises InputError with
    every problem, UnknownService for a name that is not a calculator."""
    module = calculator(service)
    values = parse(module.FIELDS, raw, check=module.check)
    return module.estimate(values, table(service, region))


def defaults(service: str) -> dict[str, object]:
    return {f.name: f.default for f in calculator(service).FIELDS if f.default is not None}


def problem(service: str, seed: int) -> tuple[str, dict[str, object], Estimate]:
    """A word problem for ``service`` (the same for the same seed), its inputs and its answer."""
    module = calculator(service)
    text, raw = module.problem(random.Random(seed), table(service))
    return text, raw, calculate(service, raw)


__all__ = ["CALCULATORS", "InputError", "UnknownService", "calculate", "calculator", "defaults", "problem", "table"]
