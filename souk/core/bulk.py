"""Insert and update rows of any model with one prepared statement per batch (`executemany`).

`bulk_create` and `bulk_update` compile every value of every row through the ORM in Python;
on a 420,000-row register import, or a million synthetic listings, that costs more than
reading, validating and the database's own work together. Here the statement is built once
from the model's concrete fields and run with `executemany`, which SQLite loops over in C and
psycopg pipelines. Rows are {attname: value} mappings (`trade_id`, not `trade`).

Values are converted as a save would, but only where the column needs it: dates and times by
the backend's own adapters, encrypted text encrypted (a Fernet token per row), JSON dumped,
a blind index computed from its source when the row does not give it; everything else is
bound as it is. A field the rows leave out (a nullable column, a field added later with a
default) gets its default, so the model stays the one definition.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models

from souk.core.fields import BlindIndexField, EncryptedTextField

Row = Mapping[str, Any]
Converter = Callable[[Any], Any]


def _json_converter(field: models.JSONField[Any, Any]) -> Converter:
    # Rows often share a few distinct lists (a shop's languages): dump each once.
    @functools.lru_cache(maxsize=64)
    def from_items(items: tuple[Any, ...]) -> Any:
        return field.get_db_prep_save(list(items), connection)

    def convert(value: Any) -> Any:
        if isinstance(value, list):
            try:
                return from_items(tuple(value))
            except TypeError:  # a list of dicts or lists cannot be a cache key
                pass
        return field.get_db_prep_save(value, connection)

    return convert


def _converter(field: models.Field[Any, Any], adapt_datetime: Converter) -> Converter | None:
    """How a column's values are converted before binding; None to bind them as they are."""
    if isinstance(field, EncryptedTextField):
        return field.get_prep_value
    if isinstance(field, models.DateTimeField):
        return adapt_datetime
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        return _json_converter(field)
    return None


class _Statement:
    """One SQL statement and how to turn an {attname: value} row into its parameters."""

    def __init__(
        self, *, sql: str, fields: Sequence[models.Field[Any, Any]], adapt_datetime: Converter
    ) -> None:
        self.sql = sql
        self.fields = list(fields)
        # One C-level lookup for all values, then only the columns that need it converted.
        self._values = operator.itemgetter(*(field.attname for field in fields))
        self._conversions = [
            (position, convert)
            for position, field in enumerate(fields)
            if (convert := _converter(field, adapt_datetime)) is not None
        ]

    def parameters(self, row: Row) -> list[Any]:
        values = list(self._values(row)) if len(self.fields) > 1 else [self._values(row)]
        for position, convert in self._conversions:
            if values[position] is not None:
                values[position] = convert(values[position])
        return values


class BulkWriter:
    """Writes {attname: value} rows of `model`: inserts (the primary key too when
    `with_primary_key`) and updates of `update_fields` by primary key."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        with_primary_key: bool = False,
        update_fields: Sequence[str] = (),
    ) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        # A batch stamps its rows with one time, and a row's times are often one moment: one
        # conversion, shared by the writer's date-time columns.
        adapt_datetime = functools.lru_cache(maxsize=256)(connection.ops.adapt_datetimefield_value)
        insert_fields = [
            field for field in meta.concrete_fields if with_primary_key or not field.primary_key
        ]
        self._insert = _Statement(
            # Names come from the model and are quoted by the backend; values are bound.
            sql=(
                f"INSERT INTO {table} "  # noqa: S608
                f"({', '.join(quote(field.column) for field in insert_fields)}) "
                f"VALUES ({', '.join(['%s'] * len(insert_fields))})"
            ),
            fields=insert_fields,
            adapt_datetime=adapt_datetime,
        )
        self._indexes = [
            (position, field)
            for position, field in enumerate(insert_fields)
            if isinstance(field, BlindIndexField)
        ]
        self._missing: list[models.Field[Any, Any]] | None = None
        self._update: _Statement | None = None
        if update_fields:
            by_attname = {field.attname: field for field in meta.concrete_fields}
            fields = [by_attname[name] for name in update_fields]
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
            primary_key = quote(meta.pk.column) if meta.pk else "id"
            self._update = _Statement(
                sql=f"UPDATE {table} SET {assignments} WHERE {primary_key} = %s",  # noqa: S608
                fields=fields,
                adapt_datetime=adapt_datetime,
            )

    def insert(self, rows: Iterable[Row]) -> int:
        """Insert `rows` with one statement; returns how many. The fields the first row leaves
        out get their default (computed once per call), or their blind index."""
        parameters = []
        defaults: dict[str, Any] | None = None
        computed: list[tuple[int, BlindIndexField]] = []
        for row in rows:
            if defaults is None:
                if self._missing is None:
                    self._missing = [f for f in self._insert.fields if f.attname not in row]
                defaults = {field.attname: field.get_default() for field in self._missing}
                computed = [
                    (position, field) for position, field in self._indexes if field in self._missing
                ]
            full = {**defaults, **row} if defaults else row
            values = self._insert.parameters(full)
            for position, index in computed:
                values[position] = index.index_of(full[index.source] or "")
            parameters.append(values)
        if parameters:
            with connection.cursor() as cursor:
                cursor.executemany(self._insert.sql, parameters)
        return len(parameters)

    def update(self, rows: Iterable[tuple[Any, Row]]) -> int:
        """Set the `update_fields` of each (primary key, row); every row gives them all."""
        if self._update is None:
            raise ValueError("this writer was made without update_fields")
        statement = self._update
        parameters = [[*statement.parameters(row), pk] for pk, row in rows]
        if parameters:
            with connection.cursor() as cursor:
                cursor.executemany(statement.sql, parameters)
        return len(parameters)
