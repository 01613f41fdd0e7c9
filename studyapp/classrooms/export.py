"""CSV that opens cleanly in Excel and LibreOffice. Pure: the standard library only.

UTF-8 with a byte-order mark (Excel reads a BOM-less file as the local code page), CRLF line ends,
and formula injection neutralised: a cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or a
carriage return, which some spreadsheets skip before reading a formula) gets a leading apostrophe,
as OWASP's "CSV injection" page advises, so a learner named ``=HYPERLINK(...)`` stays text.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)  # a number, even a negative one, is not a formula
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """The rows as one CSV document, BOM first, every cell neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
