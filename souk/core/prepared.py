"""A queryset compiled to SQL once per process and database connection, then run with other
values in place of some of its parameters: the same rows and model instances (joined ones
included) as the queryset would give, without building and compiling it on every call.

The product page reads its listing (with its shop, trade, sector and regions) on every first
render; building that queryset and compiling it took some 2 ms of a 10 ms page, running it
0.3 ms. Only for querysets of model instances (select_related allowed; no prefetch, no
annotations) whose SQL depends on nothing but those values: no `now()`, no language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet

# What Django's ModelIterable fills joined instances with; not in django-stubs.
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

# Stand for the values while the queryset is compiled: each found once among its parameters.
# Positive and small, so that no integer field's range check turns a lookup into "no rows".
_PLACEHOLDERS = tuple(30_011 + n for n in range(8))


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    parameters: tuple[Any, ...]
    positions: tuple[int, ...]
    compiler: SQLCompiler
    converters: dict[int, Any]
    start: int
    end: int
    attribute_names: list[str]
    model: type[Model]
    populators: list[Any]


class PreparedQuery(Generic[M]):
    """`build(*values)` returns the queryset; `list(*values)` runs its SQL, compiled at the
    first call on each connection, with `values` as the parameters `build` put them in. Values
    are integers, each used once in the query."""

    def __init__(self, build: Callable[..., QuerySet[M]], *, values: int = 1) -> None:
        self._build = build
        self._values = values
        self._compiled: WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = WeakKeyDictionary()

    def list(self, *values: int, using: str = "default") -> list[M]:
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(using)
        parameters = list(compiled.parameters)
        for position, value in zip(compiled.positions, values, strict=True):
            parameters[position] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, parameters)
            rows: Iterator[Any] = iter(cursor.fetchall())
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = (row[: compiler.col_count] for row in rows)
        if compiled.converters:
            rows = compiler.apply_converters(rows, compiled.converters)
        found = []
        for row in rows:
            instance = compiled.model.from_db(
                using, compiled.attribute_names, row[compiled.start : compiled.end]
            )
            for populator in compiled.populators:
                populator.populate(row, instance)
            found.append(instance)
        return found  # type: ignore[return-value]  # instances of the queryset's model, M

    def _compile(self, using: str) -> _Compiled:
        """What Django's ModelIterable reads of the compiler, kept."""
        placeholders = _PLACEHOLDERS[: self._values]
        queryset = self._build(*placeholders)
        query = queryset.query
        if getattr(queryset, "_prefetch_related_lookups", ()) or query.annotation_select:
            raise ValueError("A prepared query reads model instances only.")
        compiler = query.get_compiler(using=using)
        sql, parameters = compiler.as_sql()
        positions = []
        for placeholder in placeholders:
            found = [n for n, parameter in enumerate(parameters) if parameter == placeholder]
            if len(found) != 1:
                raise ValueError("Each value must be one parameter of the query, once.")
            positions.append(found[0])
        assert compiler.klass_info is not None  # noqa: S101  (set by as_sql for a model query)
        klass_info, select = compiler.klass_info, compiler.select
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            parameters=tuple(parameters),
            positions=tuple(positions),
            compiler=compiler,
            converters=compiler.get_converters(
                [column[0] for column in select[: compiler.col_count]]
            ),
            start=start,
            end=end,
            attribute_names=[column[0].target.attname for column in select[start:end]],
            model=klass_info["model"],
            populators=get_related_populators(klass_info, select, using),
        )
