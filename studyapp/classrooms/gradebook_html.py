"""Gradebook cells and rows, written as HTML in Python.

A class of 200 learners × 30 assignments is 6,000 cells: through ``{% include %}`` they cost half a
second a page; one ``format_html`` per cell costs a small part of that (bench/gradebook.py). Every
value is escaped by ``format_html``. :func:`status_html` is the one way a status is drawn: the
``status_cell`` template filter (``classroom_cells``) uses it on the other class pages.
"""

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .gradebook import Row
from .progress import Cell, percent_text


@lru_cache(maxsize=8192)
def status_html(cell: Cell | None) -> SafeString:
    """A status badge, then the grade (or the share done so far) and an "overdue" badge. Only fixed
    words and numbers go in, so no value needs escaping; cells repeat (most of a column reads "Graded
    100%"), so each distinct one is drawn once."""
    if cell is None:
        return mark_safe('<span class="muted">—</span>')
    status = str(cell.status)
    html = f'<span class="status status-{status.replace(" ", "-")}">{status.capitalize()}</span>'
    if cell.grade is not None:
        html += f' <strong class="cell-grade">{percent_text(cell.grade)}%</strong>'
    elif cell.progress:
        html += f' <span class="muted">{percent_text(cell.progress.quantize(Decimal(1)))}% done</span>'
    if cell.overdue:
        html += ' <span class="status status-overdue">overdue</span>'
    return mark_safe(html)


def rows_html(rows: Iterable[Row], *, class_id: int) -> SafeString:
    """The gradebook's ``<tr>`` of each row: the learner (a link to their page), then each cell."""
    learner = reverse("classrooms:learner", args=[class_id, 0]).removesuffix("0/")
    return mark_safe(
        "".join(
            format_html(
                '<tr><th scope="row"><a href="{}{}/">{}</a></th>{}</tr>\n',
                learner,
                row.user.pk,
                row.user.get_full_name() or row.user.username,
                mark_safe("".join(f"<td>{status_html(cell)}</td>" for cell in row.cells)),
            )
            for row in rows
        )
    )
