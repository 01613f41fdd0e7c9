"""Bulky report rows read through the cursor, as the database gives them.

Django's per-value converters (each datetime parsed and made aware, each decimal rebuilt) cost more
than the arithmetic a report does on tens of thousands of rows (the class readiness panel, the
gradebook: docs/performance.md). :func:`fetch` runs a ``values_list`` query's SQL as is; the caller
converts the few columns it reads with :func:`utc` and :func:`as_decimal`, which give what Django's
converters would.
"""

from datetime import UTC, datetime
from decimal import Context, Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def fetch(query: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    """A ``values_list`` query's rows, unconverted. A query that cannot match (``__in`` an empty
    list) has no SQL: no rows, as the ORM would say."""
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def utc(value: datetime | str) -> datetime:
    """A datetime column read by :func:`fetch`, aware UTC (SQLite gives text in UTC)."""
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")  # a seventh of the time of .replace(tzinfo=UTC)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# How Django reads a decimal sum from SQLite (a float there; PostgreSQL gives a Decimal): its
# converter's 15 significant digits, so a grade is the same read either way.
_SQLITE_SUM = Context(prec=15)


def as_decimal(value: Decimal | float) -> Decimal:
    """A decimal column read by :func:`fetch`, as Django's converter would give it."""
    return value if isinstance(value, Decimal) else _SQLITE_SUM.create_decimal_from_float(value)
