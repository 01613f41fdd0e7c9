"""The card browser's table rows, written as HTML in Python.

Fifty rows through the template language cost about 5 ms a page (a dozen variable lookups, tests and
loops per row); ``format_html`` per row a tenth of that, and plain f-strings with the standard
library's ``html.escape`` (what Django's ``escape`` calls, without its lazy-string wrappers) a fifth of
that again (bench/cards.py). Every value is escaped. The page template (``srs/cards.html``) places the
result in its table.
"""

import html
from collections.abc import Iterable

from django.utils.safestring import SafeString, mark_safe

from .browser import Row


def _e(value: object) -> str:
    """``value`` escaped for HTML text and attributes: the same as Django's ``escape``."""
    return html.escape(str(value))


def _mark(mark: str) -> str:
    return f'<span class="mark-tag{" leech-tag" if mark == "Leech" else ""}">{_e(mark)}</span>'


def _row(row: Row) -> str:
    text = _e(row.text)
    if row.url:
        text = f'<a href="{_e(row.url)}">{text}</a>'
    kind = '<span class="item-kind">Question</span> ' if row.is_question else ""
    due = f'<time datetime="{_e(row.due.isoformat())}">{_e(row.due_text)}</time>' if row.due else "–"
    marks = "".join(_mark(mark) for mark in row.marks)
    pk = _e(row.pk)
    return (
        f'<tr><td><input type="checkbox" name="ids" value="{pk}" id="pick-{pk}" aria-label="{_e(row.tick_label)}"></td>'
        f"<td>{kind}{text}</td><td>{_e(row.topic)}</td><td>{_e(row.state)}</td><td>{due}</td><td>{_e(row.lapses)}</td>"
        f'<td class="marks">{marks}</td></tr>\n'
    )


def rows_html(rows: Iterable[Row]) -> SafeString:
    """The ``<tr>`` of each row, in order."""
    return mark_safe("".join(_row(row) for row in rows))  # every value escaped by _row
