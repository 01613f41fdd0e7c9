"""Queries compiled once, then run again with new values: for the few reads every learner's click makes.

Django builds a queryset's SQL afresh each time one is evaluated: the filters are resolved, the
columns listed and quoted, the WHERE clause compiled. For a one-row read by key that is most of
its cost in Python, 0.3 to 0.5 ms, against some 0.05 ms for SQLite to answer it, and a learner's
request makes several (the attempt through its door, the question asked, the review state being
rated). :class:`Prepared` builds its queryset once, with marker values in place of the real ones,
keeps the SQL and the compiler's account of its columns, and from then on hands Django that SQL
with the values put in. Everything else is Django's own: the cursor and its wrappers, the
converters, the model instances (``from_db``), ``select_related`` and the fetch mode.

Only integer values (ids, positions) can be put in, each used once in the query. An integer outside
64 bits matches nothing, as Django's own lookups treat a value no column can hold.
"""

from collections.abc import Callable
from threading import Lock
from typing import Any, cast

from django.db import connections, transaction
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.query import Query

_MARKS = range(32_101, 32_121)  # small enough for any integer column; a query holding one of them as a constant is refused
_LOW, _HIGH = -(2**63), 2**63


class _Compiled:
    def __init__(self, sql: str, params: tuple[Any, ...], slots: list[tuple[int, int, type[int]]], compiler: SQLCompiler) -> None:
        self.sql, self.params, self.slots = sql, params, slots
        self.select, self.klass_info, self.annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
        self.col_count, self.has_extra_select = compiler.col_count, compiler.has_extra_select


class _Compiler(SQLCompiler):
    query: "_Query"

    def as_sql(self, with_limits: bool = True, with_col_aliases: bool = False) -> tuple[str, tuple[Any, ...]]:
        compiled = self.query.compiled
        if self.query.select_for_update and not transaction.get_connection(self.using).in_atomic_block:
            raise transaction.TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        self.select, self.klass_info, self.annotation_col_map = compiled.select, compiled.klass_info, compiled.annotation_col_map
        self.col_count, self.has_extra_select = compiled.col_count, compiled.has_extra_select
        params = list(compiled.params)
        for position, index, kind in compiled.slots:
            value = self.query.values[index]
            params[position] = value if kind is int else kind(value)  # as the backend adapted it (psycopg's Int2 for a small integer)
        return compiled.sql, tuple(params)


class _Query(Query):
    compiled: _Compiled
    values: tuple[int, ...]

    def get_compiler(self, using: str | None = None, connection: Any = None, elide_empty: bool = True) -> _Compiler:
        if connection is None:
            connection = connections[using]  # type: ignore[index]
        return _Compiler(self, connection, using, elide_empty)

    def clone(self) -> Query:
        raise TypeError("a prepared query is run as it was built: change what build() returns instead")


class Prepared[R]:
    """``build(*values)``'s queryset, compiled once and then run with new values.

    ``build`` takes the integers and returns the queryset to run, exactly as it is to be evaluated:
    ``Prepared(lambda pk: Attempt.objects.filter(pk=pk))``. :meth:`list` gives its rows, :meth:`get`
    its one row as ``QuerySet.get`` does. The project has one database; the SQL is compiled for the
    one ``build`` names, the first time it is run.
    """

    def __init__(self, build: Callable[..., QuerySet[Any, R]]) -> None:
        self._build = build
        self._ready: tuple[QuerySet[Any, R], _Compiled] | None = None
        self._lock = Lock()

    def _prepare(self, count: int) -> tuple[QuerySet[Any, R], _Compiled]:
        with self._lock:
            if self._ready is None:
                template = self._build(*_MARKS[:count])
                compiler = template.query.get_compiler(using=template.db)
                sql, params = compiler.as_sql()
                slots = [
                    (position, _MARKS.index(value), type(value))
                    for position, value in enumerate(params)
                    if isinstance(value, int) and not isinstance(value, bool) and value in _MARKS
                ]
                if sorted(index for _, index, _ in slots) != list(range(count)):
                    raise ValueError(f"each value must appear once in the query's parameters: {params!r}")
                self._ready = (template, _Compiled(sql, tuple(params), slots, compiler))
            return self._ready

    def list(self, *values: int) -> list[R]:
        """The rows for these values."""
        if not all(type(value) is int for value in values):
            raise TypeError("a prepared query takes integers only")
        template, compiled = self._ready or self._prepare(len(values))
        if not all(_LOW <= value < _HIGH for value in values):
            return []  # no column holds it: nothing matches, as Django's lookups decide
        queryset = template._chain()  # type: ignore[attr-defined]
        query = queryset.query
        query.__class__ = _Query
        query.compiled, query.values = compiled, values
        return list(queryset)

    def get(self, *values: int) -> R:
        """The one row for these values; ``DoesNotExist`` (or ``MultipleObjectsReturned``) as ``get()``."""
        rows = self.list(*values)
        if len(rows) == 1:
            return rows[0]
        model = cast(tuple[QuerySet[Any, R], _Compiled], self._ready)[0].model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}")
