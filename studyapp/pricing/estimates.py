"""An estimate of several services for one architecture (AWS's "My Estimate"), carried whole in a
query string so it needs no account and can be shared, bookmarked and downloaded.

The query: ``name`` (what the architecture is), then one ``line=<service>`` per service in order,
each line's inputs prefixed with its position (``s0.requests=3000000&s1.api_type=rest``). Inputs
equal to a calculator's default are left out of :meth:`Plan.query`, so a shared URL stays short
and reads back to the same bill. Lines of unknown services are dropped; at most ``MAX_LINES``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType

from . import registry
from .money import Estimate, InputError, to_cents

MAX_LINES = 20
MAX_NAME = 100
MONTHS = 12

# One architecture to start from: a container image on ECR run by Lambda behind an HTTP API.
EXAMPLE = {
    "name": "Thumbnail API",
    "line": ["api_gateway", "lambda", "ecr"],
    "s0.requests": "3000000",
    "s1.requests": "3000000",
    "s1.duration_ms": "120",
    "s1.memory_mb": "1536",
    "s2.storage_gb": "2",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One service in the estimate: the inputs given (strings, as typed), and its bill or its
    errors (input name → messages, as :class:`InputError` gives them)."""

    service: str
    raw: dict[str, str]
    estimate: Estimate | None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def module(self) -> ModuleType:
        return registry.calculator(self.service)

    @property
    def title(self) -> str:
        return str(self.module.TITLE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """The estimate: its name and lines, with the monthly and yearly totals of the lines that price."""

    name: str
    lines: tuple[Line, ...]

    @property
    def valid(self) -> bool:
        return all(line.estimate is not None for line in self.lines)

    @property
    def monthly(self) -> Decimal:
        return sum((to_cents(line.estimate.total) for line in self.lines if line.estimate), Decimal(0))

    @property
    def yearly(self) -> Decimal:
        return self.monthly * MONTHS

    def query(self) -> list[tuple[str, str]]:
        """The query string pairs that give this estimate back (defaults left out)."""
        pairs: list[tuple[str, str]] = [("name", self.name)] if self.name else []
        pairs += [("line", line.service) for line in self.lines]
        for number, line in enumerate(self.lines):
            defaults = _default_text(line.module)
            pairs += [(f"s{number}.{name}", value) for name, value in line.raw.items() if value != defaults.get(name)]
        return pairs


def _default_text(module: ModuleType) -> dict[str, str]:
    """Each input's default as a form shows it ("true", "730")."""
    texts = {}
    for f in module.FIELDS:
        if f.default is not None:
            texts[f.name] = ("true" if f.default else "false") if isinstance(f.default, bool) else str(f.default)
    return texts


def plan_from(query: Mapping[str, str], services: Sequence[str], *, add: str | None = None, remove: int | None = None) -> Plan:
    """The estimate a query describes (``services``: its ``line`` values), with the service ``add``
    appended or the line at ``remove`` taken out, each line priced."""
    name = query.get("name", "").strip()[:MAX_NAME]
    wanted = [(number, service) for number, service in enumerate(services[:MAX_LINES]) if service in registry.CALCULATORS]
    if remove is not None:
        wanted = [(number, service) for number, service in wanted if number != remove]
    lines = [_line(service, _inputs(query, registry.calculator(service), f"s{number}.")) for number, service in wanted]
    if add in registry.CALCULATORS and len(lines) < MAX_LINES:
        lines.append(_line(add, {}))
    return Plan(name=name, lines=tuple(lines))


def _inputs(query: Mapping[str, str], module: ModuleType, prefix: str) -> dict[str, str]:
    names = [f.name for f in module.FIELDS]
    return {name: query[prefix + name] for name in names if prefix + name in query}


def _line(service: str, raw: dict[str, str]) -> Line:
    try:
        estimate = registry.calculate(service, {**registry.defaults(service), **raw})
    except InputError as error:
        return Line(service=service, raw=raw, estimate=None, errors=error.errors)
    return Line(service=service, raw=raw, estimate=estimate)


def csv_rows(plan: Plan) -> list[list[str]]:
    """The estimate as a spreadsheet reads it: one row per bill line, a total per service, then
    the monthly and yearly totals (amounts in US dollars, to the cent)."""
    rows = [["Service", "Item", "How it is worked out", "Monthly (USD)"]]
    for line in plan.lines:
        if line.estimate is None:
            continue
        rows += [[line.title, item.label, item.formula, str(item.amount)] for item in line.estimate.lines]
        rows.append([line.title, "Total for the service", "", str(to_cents(line.estimate.total))])
    rows.append(["Monthly total", "", "", str(plan.monthly)])
    rows.append([f"Yearly total ({MONTHS} months)", "", "", str(plan.yearly)])
    return rows
