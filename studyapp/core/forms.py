"""Form fields for what every app's forms take: database ids, range-checked before any query (a
number the database cannot hold is a form error, not an ``OverflowError`` from the driver), and
slugs read from a query (anything else, a NUL byte above all, never reaches the database)."""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db.models import Model, QuerySet
from django.http import Http404

MAX_ID = 2**63 - 1
"""The largest id a 64-bit primary key holds (``BigAutoField``; URL ids are capped by
:class:`studyapp.core.converters.IdConverter`)."""
_MAX_DIGITS = len(str(MAX_ID))
_INTEGER = re.compile(rf"[+-]?[0-9]{{1,{_MAX_DIGITS + 1}}}")


def is_id(value: object) -> bool:
    """True for a string of ASCII digits naming an id from 1 to MAX_ID (no sign, space or exponent)."""
    return isinstance(value, str) and 0 < len(value) <= _MAX_DIGITS and value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_ID


def ticked_ids(raw: Sequence[str], *, most: int, noun: str) -> list[int]:
    """The ids a list's tick boxes sent (``ids``, as many as ticked), for a bulk action; a clear
    ``ValidationError`` for none, too many, or anything that is not an id."""
    if not raw:
        raise ValidationError(f"Tick at least one {noun} first.")
    if len(raw) > most or not all(is_id(value) for value in raw):
        raise ValidationError(f"Tick up to {most} {noun}s of this list.")
    return [int(value) for value in raw]


class IdField(forms.IntegerField):
    """One database id: an integer from 1 to MAX_ID."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        # ASCII digits only, and not thousands of them (int() would read them, or refuse past 4300).
        if isinstance(value, str) and value.strip() and not _INTEGER.fullmatch(value.strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Django's ModelMultipleChoiceField, with every value checked to be an id (1 to MAX_ID) before
    the queryset is asked: anything else is the field's "Select a valid choice" error."""

    def _check_values(self, value: Iterable[Any]) -> QuerySet[Model]:
        for pk in value if self.to_field_name is None else ():
            if not is_id(pk):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk})
        return super()._check_values(value)  # type: ignore[misc]  # Django's, not in the stubs


def slug_or_404(value: str | None) -> str | None:
    """A slug parameter (``?topic=``, ``?course=``) as given, None when absent or empty; Http404 for
    anything that is not a slug (no slug of ours holds a NUL, a space or a slash), as for a slug
    that names nothing."""
    if not value:
        return None
    try:
        validate_slug(value)
    except ValidationError:
        raise Http404("no such slug") from None
    return value
