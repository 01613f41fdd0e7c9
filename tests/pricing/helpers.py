"""What each calculator's tests need: its price table, a bill from raw inputs, the errors of bad ones."""

from pathlib import Path

import pytest

from studyapp.pricing.money import InputError, parse
from studyapp.pricing.tables import load_table

PRICES = Path(__file__).resolve().parents[2] / "content" / "pricing"


def calculator(module):
    """``(table, bill, errors)`` for a calculator module. ``bill(**raw)`` parses the raw inputs as the
    pages do and prices them (``table=`` another table); ``errors(**raw)`` is what parsing refuses."""
    default = load_table(PRICES, module.SERVICE)

    def bill(table=default, **raw: object):
        return module.estimate(parse(module.FIELDS, raw, check=module.check), table)

    def errors(**raw: object) -> dict[str, list[str]]:
        with pytest.raises(InputError) as caught:
            parse(module.FIELDS, raw, check=module.check)
        return caught.value.errors

    return default, bill, errors
