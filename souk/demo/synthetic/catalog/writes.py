"""Insert rows of any model with one prepared statement per batch (`executemany`).

The same approach as souk.registry.importing.writes: `bulk_create` compiles every value of
every row through the ORM, which at a million listings costs more than the database's own
work. The statement is built once from the model's concrete fields; dates, times and JSON are
converted by the backend's own adapters, everything else is bound as it is.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import connection, models

from souk.core.fields import BlindIndexField, EncryptedTextField

Converter = Callable[[Any], Any]


def _converter(field: models.Field[Any, Any], adapt_datetime: Converter) -> Converter | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return adapt_datetime
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, EncryptedTextField):
        return field.get_prep_value
    if isinstance(field, models.JSONField):
        # Shops share a few distinct lists: convert each once.
        cached = functools.lru_cache(maxsize=64)(
            lambda text: field.get_db_prep_save(list(text), connection)
        )
        return lambda value: cached(tuple(value))
    return None


class RowWriter:
    """Writes {attname: value} rows of `model`; the primary key too when `with_primary_key`."""

    def __init__(self, model: type[models.Model], *, with_primary_key: bool = True) -> None:
        meta = model._meta
        quote = connection.ops.quote_name
        fields = [
            field for field in meta.concrete_fields if with_primary_key or not field.primary_key
        ]
        self.sql = (
            # Names come from the model and are quoted by the backend; values are bound.
            f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(field.column) for field in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        self.attnames = [field.attname for field in fields]
        self._fields = fields
        self._defaults: dict[str, Any] | None = None
        self._values = operator.itemgetter(*self.attnames)
        # A listing's publication, status and update times are one moment: one conversion,
        # shared by the row's date-time columns.
        adapt_datetime = functools.lru_cache(maxsize=256)(connection.ops.adapt_datetimefield_value)
        self._conversions = [
            (position, convert)
            for position, field in enumerate(fields)
            if (convert := _converter(field, adapt_datetime)) is not None
        ]
        # Blind indexes are computed from their source's plain value, as a save would.
        self._indexes = [
            (position, field)
            for position, field in enumerate(fields)
            if isinstance(field, BlindIndexField)
        ]

    def parameters(self, row: Mapping[str, Any]) -> list[Any]:
        values = list(self._values(row))
        for position, index in self._indexes:
            values[position] = index.index_of(row[index.source] or "")
        for position, convert in self._conversions:
            if values[position] is not None:
                values[position] = convert(values[position])
        return values

    def _defaults_for(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """Fields the rows leave out (a nullable column, a field added later with a default)
        get their default, computed once from the first row."""
        return {
            field.attname: field.get_default() for field in self._fields if field.attname not in row
        }

    def insert(self, rows: Iterable[Mapping[str, Any]]) -> int:
        parameters = []
        for row in rows:
            if self._defaults is None:
                self._defaults = self._defaults_for(row)
            parameters.append(self.parameters({**self._defaults, **row} if self._defaults else row))
        if parameters:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, parameters)
        return len(parameters)
