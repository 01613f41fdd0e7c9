"""Money and the shapes every calculator shares. Pure: standard library only.

Rounding happens in one place: :func:`to_cents` (half-up), applied to each line item; an estimate's
total is the sum of its rounded lines, which is how AWS's published examples come out to the cent.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
MAX_DIGITS = 15  # inputs stay below 10^15, so every amount fits Decimal's 28 digits


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def dec(value: object) -> Decimal:
    """A Decimal from an int, a string or a Decimal; floats are refused (they are not exact)."""
    if isinstance(value, bool | float):
        raise TypeError(f"use a Decimal, an int or a string, not {type(value).__name__}")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def money(amount: Decimal) -> str:
    """$1,234.56 (amounts below a cent keep their digits: $0.0000166667)."""
    if amount != 0 and abs(amount) < CENT:
        return f"${amount.normalize():f}"
    return f"${to_cents(amount):,.2f}"


def number(value: Decimal | int) -> str:
    """2,000,000 · 0.5 · 1,536 (no trailing zeros)."""
    return f"{dec(value).normalize():,f}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One line of a bill: ``quantity`` × ``unit_price`` = ``amount`` (rounded to the cent)."""

    label: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal
    formula: str


def line(label: str, quantity: Decimal, unit: str, unit_price: Decimal, *, per: Decimal = Decimal(1), formula: str | None = None) -> Line:
    """A line priced at ``unit_price`` per ``per`` units (per=1,000,000 for "$0.20 per million").

    The formula reads like AWS's "show calculations": "2,000,000 requests × $0.20 per million = $0.40".
    """
    amount = to_cents(quantity * unit_price / per)
    if formula is None:
        basis = unit if per == 1 else "million" if per == 1_000_000 else f"{number(per)} {unit}"
        formula = f"{number(quantity)} {unit} × {price_text(unit_price)} per {basis} = {money(amount)}"
    return Line(label=label, quantity=quantity, unit=unit, unit_price=unit_price, amount=amount, formula=formula)


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    service: str
    inputs: Mapping[str, object]
    lines: tuple[Line, ...]
    notes: tuple[str, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum((item.amount for item in self.lines), Decimal(0))

    def as_json(self) -> dict[str, object]:
        """The shape the command and the JSON endpoint print: amounts as decimal strings."""
        return {
            "service": self.service,
            "inputs": {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.inputs.items()},
            "lines": [
                {
                    "label": item.label,
                    "quantity": f"{item.quantity.normalize():f}",
                    "unit_price": f"{item.unit_price:f}",
                    "amount": str(item.amount),
                    "formula": item.formula,
                }
                for item in self.lines
            ],
            "total": str(to_cents(self.total)),
        }


class Message(str):
    """A problem with an input, as the JSON endpoint and the command print it (after the field's
    name), carrying ``page``: the same problem worded for a page, with the labels a learner sees
    instead of input names ("Spot price per hour is needed for Spot instances")."""

    page: str

    def __new__(cls, text: str, *, page: str) -> "Message":
        message = super().__new__(cls, text)
        message.page = page
        return message


class InputError(ValueError):
    """Every problem with the inputs at once: field name → messages."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        self.errors = {name: list(messages) for name, messages in errors.items()}
        super().__init__("; ".join(f"{name}: {m}" for name, messages in self.errors.items() for m in messages))


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One input of a calculator, shared by its form, the JSON endpoint and the command."""

    name: str
    label: str
    kind: str  # "int" | "decimal" | "bool" | "choice"
    default: object = None  # None: required
    choices: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    help: str = ""
    optional: bool = False  # may be left empty even without a default
    choice_labels: tuple[str, ...] = ()  # what a form shows for each choice ("Arm (Graviton)" for arm64)
    when: tuple[str, tuple[str, ...]] | None = None  # (choice input, its values) for which this input counts
    section: str = ""  # an optional feature ("Provisioned concurrency"): its inputs are folded away until used

    def options(self) -> tuple[tuple[str, str], ...]:
        """(value, label) for each choice; the value is the input's value everywhere."""
        labels = self.choice_labels or self.choices
        return tuple(zip(self.choices, labels, strict=True))


def worded(field: Field, message: str) -> str:
    """``message`` about ``field`` as a page shows it beside the field: "Instances must be at least
    1", "Requests a month is needed"; a :class:`Message` brings its own wording."""
    if isinstance(message, Message):
        return message.page
    if message == "required":
        return f"{field.label} is needed"
    if message.startswith("must "):
        return f"{field.label} {message}"
    return message[:1].upper() + message[1:]


def parse(
    fields: Sequence[Field], raw: Mapping[str, object], *, check: Callable[[dict[str, object]], Mapping[str, Sequence[str]]] | None = None
) -> dict[str, object]:
    """Read ``raw`` (strings from a form or query string, or JSON values) into typed values, with
    defaults; raise InputError naming every field at fault and what is allowed. Unknown names are
    errors too."""
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    known = {f.name for f in fields}
    for name in raw:
        if name not in known:
            errors.setdefault(name, []).append(f"unknown input (allowed: {', '.join(sorted(known))})")
    for f in fields:
        value = raw.get(f.name)
        if value is None or value == "":
            if f.default is None and not f.optional:
                errors.setdefault(f.name, []).append("required")
            values[f.name] = f.default
            continue
        try:
            values[f.name] = _convert(f, value)
        except ValueError as error:
            errors.setdefault(f.name, []).append(str(error))
    if not errors and check is not None:
        for name, messages in check(values).items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise InputError(errors)
    return values


def _convert(f: Field, value: object) -> object:
    if f.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"true", "1", "yes", "on"}:
            return True
        if text in {"false", "0", "no", "off"}:
            return False
        raise ValueError("must be true or false")
    if f.kind == "choice":
        if str(value) not in f.choices:
            raise ValueError(f"must be one of {', '.join(f.choices)}")
        return str(value)
    if isinstance(value, bool) or (isinstance(value, float) and f.kind == "int"):
        raise ValueError("must be a number")
    try:
        number_value = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValueError("must be a number") from None
    if not number_value.is_finite():
        raise ValueError("must be a number")
    if number_value.adjusted() >= MAX_DIGITS:  # 1e400000000 would take minutes to turn into an int
        raise ValueError(f"must be less than {number(Decimal(10) ** MAX_DIGITS)}")
    if f.kind == "int" and number_value != number_value.to_integral_value():
        raise ValueError("must be a whole number")
    if f.minimum is not None and number_value < f.minimum:
        raise ValueError(f"must be at least {number(f.minimum)}")
    if f.maximum is not None and number_value > f.maximum:
        raise ValueError(f"must be at most {number(f.maximum)}")
    return int(number_value) if f.kind == "int" else number_value


def split_tiers(quantity: Decimal, tiers: Sequence[Mapping[str, Any]], upto: str) -> list[tuple[Decimal, Decimal, Mapping[str, Any]]]:
    """(start, amount in the tier, tier) for each volume tier ``quantity`` reaches; each tier runs
    up to its cumulative ``upto`` and the last has none. Empty for a quantity of zero."""
    bands = []
    start = Decimal(0)
    for tier in tiers:
        end = tier.get(upto)
        take = (quantity if end is None else min(quantity, end)) - start
        if take <= 0:
            break
        bands.append((start, take, tier))
        if end is None:
            break
        start = end
    return bands


def price_text(unit_price: Decimal) -> str:
    """A unit price with every digit, at least to the cent: $0.20, $0.038, $0.04048, $0.0000166667."""
    whole, _, fraction = f"{dec(unit_price).normalize():,f}".partition(".")
    return f"${whole}.{fraction.ljust(2, '0')}"
