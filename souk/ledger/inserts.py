"""A batch's reads and inserts as plain SQL (posting.py): multi-row INSERTs and `IN` lists on
SQLite; on PostgreSQL, COPY for the rows (the entries' ids taken first from their sequence, in
one statement) and one array parameter for a list of values.

The rows are plain tuples, not model instances: at a million transfers, building and preparing
a model per row cost more than the database's work (docs/benchmarks.md, "Ledger"). A statement
with thousands of placeholders also costs the PostgreSQL driver a parse of its text on every
call (it caches only short statements): hence COPY and arrays there.
"""

from __future__ import annotations

import datetime
import functools
import sqlite3
from collections.abc import Iterable, Sequence
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
# The columns' types, for the binary COPY (PostgreSQL); a varchar takes text's binary form.
_TYPES = {
    "id": "int8",
    "entry_id": "int8",
    "debit_account_id": "int8",
    "credit_account_id": "int8",
    "amount": "int8",
    "created_at": "timestamptz",
    **dict.fromkeys(
        ("key", "code", "description", "fingerprint", "currency", "status", "reference_type"),
        "text",
    ),
    "reference_id": "text",
}
# Rows per statement: under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
_ROWS = 1_000


@functools.lru_cache(maxsize=64)
def _sql(
    table: str,
    columns: tuple[str, ...],
    rows: int,
    returning: bool,
    mark: str = "%s",
    vendor: str = "",
) -> str:
    """The INSERT of `rows` rows, `mark` for each placeholder (`vendor`: the cache's key)."""
    quote = connection.ops.quote_name
    row = "(" + ", ".join([mark] * len(columns)) + ")"
    sql = (
        f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        f"VALUES {', '.join([row] * rows)}"
    )
    return sql + " RETURNING id" if returning else sql


def _insert(
    table: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]], returning: bool
) -> list[int]:
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _ROWS):
            chunk = rows[start : start + _ROWS]
            params = [value for row in chunk for value in row]
            _execute(cursor, table, columns, len(chunk), returning, params)
            if returning:
                ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def _execute(
    cursor: Any,
    table: str,
    columns: tuple[str, ...],
    rows: int,
    returning: bool,
    params: list[Any],
) -> None:
    """Run the multi-row INSERT. Django's SQLite cursor turns each `%s` into the driver's `?`
    with a regular expression over the whole text, on every call: 2 ms for a thousand
    transfers' 10,000 placeholders, about a tenth of the posting's own time. So, unless
    statements are being recorded (`connection.queries_logged`: DEBUG, the tests' query
    counts) or wrapped (`connection.execute_wrapper`), the statement, written with `?` once
    (`_sql` is cached), goes straight to the driver, its errors turned into Django's as
    Django's cursor would."""
    if connection.vendor != "sqlite" or connection.queries_logged or connection.execute_wrappers:
        cursor.execute(_sql(table, columns, rows, returning), params)
        return
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        sqlite3.Cursor.execute(
            cursor.cursor, _sql(table, columns, rows, returning, "?", "sqlite"), params
        )


def timestamp(moment: datetime.datetime) -> Any:
    """`moment` as the database takes it in a raw statement."""
    return connection.ops.adapt_datetimefield_value(moment)


def insert_entries(rows: Iterable[tuple[str, str, str, str, Any]], count: int) -> list[int]:
    """Insert `count` (key, code, description, fingerprint, created_at) rows, taken from `rows`
    as they are sent; their ids, in order. A key already taken raises `IntegrityError`,
    whichever the database."""
    if connection.vendor == "postgresql":
        ids = _copy_entries(rows, count)
    else:
        ids = _insert(JournalEntry._meta.db_table, _ENTRY_COLUMNS, list(rows), returning=True)
    if len(ids) != count:
        raise RuntimeError("the database did not return one id per entry inserted")
    return ids


def _copy_entries(rows: Iterable[tuple[Any, ...]], count: int) -> list[int]:
    """PostgreSQL: the entries' ids drawn from their sequence in one statement, then COPY."""
    table = JournalEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        ids = sorted(pk for (pk,) in cursor.fetchall())
        numbered = ((pk, *row) for pk, row in zip(ids, rows, strict=True))
        _copy(cursor, table, ("id", *_ENTRY_COLUMNS), numbered)
    return ids


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY `rows` into `table` in the binary format (the server parses no text; a string too
    long for its column is refused all the same); a constraint it breaks raises Django's error
    (`IntegrityError`), as a statement run through Django's cursor would."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    sql = f"COPY {quote(table)} ({names}) FROM STDIN (FORMAT BINARY)"
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        copy.set_types([_TYPES[column] for column in columns])
        for row in rows:
            copy.write_row(row)


def insert_transfers(rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert transfer rows, columns as `_TRANSFER_COLUMNS`, taken from `rows` as they are sent.

    PostgreSQL: COPY (the driver turns each row into text in C, where quoting ten million
    parameters was most of the client's time), with the transfer's foreign keys `IMMEDIATE`
    for this statement only, then deferred again as Django declares them: a row that breaks
    one fails the COPY itself, as Django's `IntegrityError`, not the COMMIT. The server checks
    them when the COPY ends (its queued triggers), not as rows arrive: measured, the checks
    do not overlap the client's building of rows either way (docs/decisions.md). Every row is
    checked. Elsewhere: multi-row INSERTs."""
    if connection.vendor != "postgresql":
        _insert(Transfer._meta.db_table, _TRANSFER_COLUMNS, list(rows), returning=False)
        return
    with connection.cursor() as cursor:
        keys = _foreign_keys(cursor, Transfer._meta.db_table)
        if keys:
            cursor.execute(f"SET CONSTRAINTS {keys} IMMEDIATE")
        _copy(cursor, Transfer._meta.db_table, _TRANSFER_COLUMNS, rows)
        if keys:
            cursor.execute(f"SET CONSTRAINTS {keys} DEFERRED")


def delete_entries(ids: Sequence[int]) -> None:
    """Delete the entries `ids` (inserted by this transaction, no transfer refers to them)."""
    table = connection.ops.quote_name(JournalEntry._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [list(ids)])  # noqa: S608
            return
        for start in range(0, len(ids), _ROWS):
            chunk = ids[start : start + _ROWS]
            cursor.execute(
                f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(chunk))})",  # noqa: S608
                chunk,
            )


# (database name, table): its deferrable foreign keys' names, quoted, comma-separated.
_FOREIGN_KEYS: dict[tuple[str, str], str] = {}


def _foreign_keys(cursor: Any, table: str) -> str:
    """PostgreSQL: the names of `table`'s deferrable foreign keys (read once per database)."""
    found = _FOREIGN_KEYS.get((connection.settings_dict["NAME"], table))
    if found is None:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f' AND condeferrable ORDER BY conname",
            [connection.ops.quote_name(table)],
        )
        found = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
        _FOREIGN_KEYS[(connection.settings_dict["NAME"], table)] = found
    return found


def select_in(
    table: str,
    columns: Sequence[str],
    column: str,
    values: Sequence[Any],
    where: str = "",
    params: Sequence[Any] = (),
    suffix: str = "",
) -> list[tuple[Any, ...]]:
    """`SELECT columns FROM table WHERE column IN values [AND where] suffix`, by chunks (one
    statement with an array on PostgreSQL)."""
    quote = connection.ops.quote_name
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            condition = f"{quote(column)} = ANY(%s)" + (f" AND {where}" if where else "")
            cursor.execute(
                f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608
                f"WHERE {condition}{suffix}",
                [list(values), *params],
            )
            found.extend(cursor.fetchall())
            return found
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
