"""``{{ cell|status_cell }}``: a gradebook cell's status and grade, drawn by
:func:`studyapp.classrooms.gradebook_html.status_html` (the gradebook itself draws its 6,000 cells
in Python with the same function)."""

from django import template
from django.utils.safestring import SafeString

from ..gradebook_html import status_html
from ..progress import Cell

register = template.Library()


@register.filter
def status_cell(cell: Cell | None) -> SafeString:
    return status_html(cell)
