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

# What a calculator starts from, on its page and in its note, instead of a $0.00 bill: the worked
# example written just above the calculator in content/compute/*.md (tests/pricing/test_embedding.py
# checks each total against the note). The command and the JSON endpoint keep the inputs' defaults.
EXAMPLES: dict[str, dict[str, str]] = {
    "fargate": {"tasks": "150", "duration_seconds": "600", "vcpu": "1", "memory_gb": "2", "ephemeral_storage_gb": "30"},
    "ecr": {"storage_gb": "40", "internet_egress_gb": "200"},
    "lambda": {"requests": "3000000", "duration_ms": "120", "memory_mb": "1536"},
    "api_gateway": {"requests": "432000000", "request_size_kb": "12"},
    "batch": {"compute": "ec2", "instance_type": "c5.2xlarge", "instances": "4", "hours": "90"},
    "lightsail": {"bundle": "micro", "snapshot_gb": "40"},
}


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


__all__ = ["CALCULATORS", "EXAMPLES", "InputError", "UnknownService", "calculate", "calculator", "defaults", "problem", "table"]
