"""Insert and update register entries with one prepared statement per batch.

`bulk_create` and `bulk_update` compile every value of every row through the ORM in Python;
on a 420,000-row import that cost more than reading, validating and the database's own work
together. Here the statement is built once from the model's fields and run with
`executemany`, which SQLite loops over in C and psycopg pipelines. Column values are adapted
by the backend's own adapters, and a field the importer does not set (a nullable column, or a
field added later with a default) gets its default, so the model stays the one definition.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import connection, models

from souk.core.fields import EncryptedTextField
from souk.registry.models import RegisterEntry

Values = Mapping[str, Any]


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """The backend's conversion for dates and times (text on SQLite), the encryption of an
    encrypted field (a Fernet token per row); None for other fields."""
    ops = connection.ops
    if isinstance(field, EncryptedTextField):
        return field.get_prep_value
    if isinstance(field, models.DateTimeField):
        # A batch stamps all its rows with one time: adapt it once, not once per row.
        return functools.lru_cache(maxsize=4)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    return None


class EntryWriter:
    """Writes RegisterEntry rows given as {attname: value} (`trade_id`, not `trade`)."""

    def __init__(self, *, set_on_insert: Sequence[str], set_on_update: Sequence[str]) -> None:
        meta = RegisterEntry._meta
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        insert_fields = [field for field in meta.concrete_fields if not field.primary_key]
        self._insert_statement = _Statement(
            fields=insert_fields,
            sql=(
                # Names come from the model and are quoted by the backend; values are bound.
                f"INSERT INTO {table} ({', '.join(quote(field.column) for field in insert_fields)})"  # noqa: S608
                f" VALUES ({', '.join(['%s'] * len(insert_fields))})"
            ),
        )
        self._unset_on_insert = [
            field for field in insert_fields if field.attname not in set_on_insert
        ]
        by_attname = {field.attname: field for field in meta.concrete_fields}
        update_fields = [by_attname[name] for name in set_on_update]
        primary_key = quote(meta.pk.column) if meta.pk else "id"
        assignments = ", ".join(f"{quote(field.column)} = %s" for field in update_fields)
        self._update_statement = _Statement(
            fields=update_fields,
            sql=f"UPDATE {table} SET {assignments} WHERE {primary_key} = %s",  # noqa: S608
        )

    def insert(self, rows: Iterable[Values]) -> None:
        # Fields the importer does not set (nullable columns, or a field added later with a
        # default) get their default, prepared once per batch; dates and times are converted
        # with the row's other dates by the statement.
        defaults = {
            field.attname: (
                field.get_default()
                if isinstance(field, models.DateField)
                else field.get_db_prep_save(field.get_default(), connection)
            )
            for field in self._unset_on_insert
        }
        parameters = [
            self._insert_statement.parameters({**defaults, **row} if defaults else row)
            for row in rows
        ]
        if parameters:
            with connection.cursor() as cursor:
                cursor.executemany(self._insert_statement.sql, parameters)

    def update(self, rows: Iterable[tuple[int, Values]]) -> None:
        parameters = [[*self._update_statement.parameters(row), pk] for pk, row in rows]
        if parameters:
            with connection.cursor() as cursor:
                cursor.executemany(self._update_statement.sql, parameters)


class _Statement:
    """One SQL statement and how to turn an {attname: value} row into its parameters."""

    def __init__(self, *, fields: Sequence[models.Field[Any, Any]], sql: str) -> None:
        self.sql = sql
        # One C-level lookup for all values, then only the date and time columns converted.
        self._values = operator.itemgetter(*(field.attname for field in fields))
        self._conversions = [
            (position, adapt)
            for position, field in enumerate(fields)
            if (adapt := _adapter(field)) is not None
        ]

    def parameters(self, row: Values) -> list[Any]:
        values = list(self._values(row))
        for position, adapt in self._conversions:
            values[position] = adapt(values[position])
        return values
