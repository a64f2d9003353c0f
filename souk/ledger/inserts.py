"""A batch's reads and inserts as plain SQL (posting.py): multi-row INSERTs, `IN` lists.

The rows are plain tuples, not model instances: at a million transfers, building and preparing
a model per row cost more than the database's work (docs/benchmarks.md, "Ledger").
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db import connection

from souk.ledger.models import JournalEntry, Transfer

_ENTRY_COLUMNS = ("key", "code", "description", "fingerprint", "created_at")
_TRANSFER_COLUMNS = (
    "entry_id",
    "debit_account_id",
    "credit_account_id",
    "amount",
    "currency",
    "code",
    "status",
    "reference_type",
    "reference_id",
    "created_at",
)
# Rows per statement: under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
_ROWS = 1_000


def _sql(table: str, columns: Sequence[str], rows: int, returning: bool) -> str:
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)}"
    )
    return sql + " RETURNING id" if returning else sql


def _insert(
    table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], returning: bool
) -> list[int]:
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS):
            chunk = rows[start : start + _ROWS]
            params = [value for row in chunk for value in row]
            cursor.execute(_sql(table, columns, len(chunk), returning), params)
            if returning:
                ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def timestamp(moment: datetime.datetime) -> Any:
    """`moment` as the database takes it in a raw statement."""
    return connection.ops.adapt_datetimefield_value(moment)


def insert_entries(rows: Sequence[tuple[str, str, str, str, Any]]) -> list[int]:
    """Insert (key, code, description, fingerprint, created_at) rows; their ids, in order."""
    ids = _insert(JournalEntry._meta.db_table, _ENTRY_COLUMNS, rows, returning=True)
    if len(ids) != len(rows):
        raise RuntimeError("the database did not return one id per entry inserted")
    return ids


def insert_transfers(rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert transfer rows, columns as `_TRANSFER_COLUMNS`: PostgreSQL's COPY (the driver
    turns each row into text in C, where quoting ten million parameters was most of the
    client's time), multi-row INSERTs elsewhere."""
    if connection.vendor != "postgresql":
        _insert(Transfer._meta.db_table, _TRANSFER_COLUMNS, rows, returning=False)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in _TRANSFER_COLUMNS)
    with connection.cursor() as cursor:
        copy_sql = f"COPY {quote(Transfer._meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)


def select_in(
    table: str,
    columns: Sequence[str],
    column: str,
    values: Sequence[Any],
    where: str = "",
    params: Sequence[Any] = (),
    suffix: str = "",
) -> list[tuple[Any, ...]]:
    """`SELECT columns FROM table WHERE column IN values [AND where] suffix`, by chunks."""
    quote = connection.ops.quote_name
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(values), _ROWS):
            chunk = list(values[start : start + _ROWS])
            condition = f"{quote(column)} IN ({', '.join(['%s'] * len(chunk))})"
            if where:
                condition += f" AND {where}"
            cursor.execute(
                f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608
                f"WHERE {condition}{suffix}",
                [*chunk, *params],
            )
            found.extend(cursor.fetchall())
    return found
