"""Price tables: TOML files under content/pricing/<region>/<service>.toml. Pure: reads text only.

Each file holds ``service``, ``region``, ``currency``, ``effective`` (date) and ``source`` (the AWS
pricing page), then the prices. Numbers are read as Decimal (TOML floats included), never float.
Adding a region is adding a folder of files.
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

REQUIRED = ("service", "region", "currency", "effective", "source")


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    service: str
    region: str
    currency: str
    effective: date
    source: str
    prices: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.prices[key]


def _decimals(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    return value


def parse_table(text: str, *, path: str = "<table>") -> Table:
    """Parse one table; raise ValueError naming the file for a missing key or bad TOML."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: not valid TOML: {error}") from error
    missing = [key for key in REQUIRED if key not in data]
    if missing:
        raise ValueError(f"{path}: missing {', '.join(missing)}")
    meta = {key: data.pop(key) for key in REQUIRED}
    if not isinstance(meta["effective"], date):
        raise ValueError(f"{path}: effective must be a date such as 2026-01-01")
    return Table(prices=_decimals(data), **meta)


def load_table(root: Path, service: str, region: str = "us-east-1") -> Table:
    path = root / region / f"{service}.toml"
    return parse_table(path.read_text(encoding="utf-8"), path=str(path))
