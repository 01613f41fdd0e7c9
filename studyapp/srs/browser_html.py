"""The card browser's table rows, written as HTML in Python.

Fifty rows through the template language cost about 5 ms a page (a dozen variable lookups, tests and
loops per row); one ``format_html`` per row costs a tenth of that (bench/cards.py). Every value is
escaped by ``format_html``. The page template (``srs/cards.html``) places the result in its table.
"""

from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .browser import Row

_ROW = (
    '<tr><td><input type="checkbox" name="ids" value="{pk}" id="pick-{pk}" aria-label="{tick}"></td>'
    "<td>{kind}{text}</td><td>{topic}</td><td>{state}</td><td>{due}</td><td>{lapses}</td>"
    '<td class="marks">{marks}</td></tr>\n'
)


def _mark(mark: str) -> str:
    return f'<span class="mark-tag{" leech-tag" if mark == "Leech" else ""}">{escape(mark)}</span>'


def rows_html(rows: Iterable[Row]) -> SafeString:
    """The ``<tr>`` of each row, in order."""
    return mark_safe(
        "".join(
            format_html(
                _ROW,
                pk=row.pk,
                tick=row.tick_label,
                kind=mark_safe('<span class="item-kind">Question</span> ') if row.is_question else "",
                text=format_html('<a href="{}">{}</a>', row.url, row.text) if row.url else row.text,
                topic=row.topic,
                state=row.state,
                due=format_html('<time datetime="{}">{}</time>', row.due.isoformat(), row.due_text) if row.due else "–",
                lapses=row.lapses,
                marks=mark_safe("".join(_mark(mark) for mark in row.marks)),
            )
            for row in rows
        )
    )
