"""Writing the running totals of ledger accounts, set-based (docs/ledger.md, "Posting").

A posting adds its movements to the accounts it touches: a normal account is locked first (its
balance is checked) and its row gets the batch's summed movements in one UPDATE; a hot account
is never locked: its movements go to one of its shards (`AccountShard`), one no other open
transaction holds (PostgreSQL's `FOR UPDATE SKIP LOCKED`), so postings to the same hot account
do not wait for each other. Every write is an addition (`debits_posted = debits_posted + x`),
never a value read earlier and written back.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.backends.utils import CursorWrapper

from souk.ledger.models import HOT_SHARDS, AccountShard, LedgerAccount

# (debits posted, credits posted, debits pending, credits pending) added to one account.
Movement = list[int]
_CHUNK = 500
_ACCOUNTS = LedgerAccount._meta.db_table
_SHARDS = AccountShard._meta.db_table
_SET = ", ".join(
    f"{name} = t.{name} + d.{short}"
    for name, short in (
        ("debits_posted", "dp"),
        ("credits_posted", "cp"),
        ("debits_pending", "dpe"),
        ("credits_pending", "cpe"),
    )
)


def _values(rows: Sequence[tuple[int, ...]]) -> tuple[str, list[Any]]:
    """The rows as a table `d` of five bigint columns: on PostgreSQL five arrays unnested (five
    parameters, whatever the number of rows), elsewhere a VALUES list."""
    if connection.vendor == "postgresql":
        return (
            "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], "
            "%s::bigint[], %s::bigint[])",
            [list(column) for column in zip(*rows, strict=True)],
        )
    row = "(" + ", ".join(["%s"] * 5) + ")"
    return "VALUES " + ", ".join([row] * len(rows)), [value for values in rows for value in values]


def _chunks(rows: list[tuple[int, ...]]) -> Iterable[list[tuple[int, ...]]]:
    if connection.vendor == "postgresql":
        if rows:
            yield rows
        return
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def add(*, accounts: dict[int, LedgerAccount], movements: dict[int, Movement]) -> None:
    """Add `movements` (by account id) to the accounts' totals: the normal ones (locked by the
    caller) in their rows, the hot ones in a free shard each."""
    add_movements(movements=movements, hot={pk for pk, a in accounts.items() if a.hot})


def add_movements(*, movements: dict[int, Movement], hot: set[int]) -> None:
    """`add`, the hot accounts given by id."""
    rows = sorted((pk, *moved) for pk, moved in movements.items() if any(moved))
    normal = [row for row in rows if row[0] not in hot]
    hot_rows = [row for row in rows if row[0] in hot]
    with connection.cursor() as cursor:
        for chunk in _chunks(normal):
            values, params = _values(chunk)
            cursor.execute(
                f"WITH d(id, dp, cp, dpe, cpe) AS ({values}) "  # noqa: S608
                f"UPDATE {_ACCOUNTS} AS t SET {_SET} FROM d WHERE t.id = d.id",
                params,
            )
    if hot_rows:
        _add_to_shards(hot_rows)


def _add_to_shards(rows: list[tuple[int, ...]]) -> None:
    with connection.cursor() as cursor:
        done: set[int] = set()
        if connection.vendor == "postgresql":
            # Each account's first shard that no open transaction holds, taken for this one.
            for chunk in _chunks(rows):
                values, params = _values(chunk)
                cursor.execute(
                    f"WITH d(account_id, dp, cp, dpe, cpe) AS ({values}), "  # noqa: S608
                    f"picked AS (SELECT d.*, (SELECT s.id FROM {_SHARDS} AS s "
                    "WHERE s.account_id = d.account_id LIMIT 1 FOR UPDATE SKIP LOCKED) AS shard "
                    "FROM d) "
                    f"UPDATE {_SHARDS} AS t SET {_SET} FROM picked AS d WHERE t.id = d.shard "
                    "RETURNING d.account_id",
                    params,
                )
                done.update(account_id for (account_id,) in cursor.fetchall())
        # SQLite has one writer at a time: any shard will do. On PostgreSQL, an account whose
        # shards are all held (more concurrent postings than shards) waits for a random one.
        for row in rows:
            if row[0] in done:
                continue
            number = 0 if connection.vendor != "postgresql" else secrets.randbelow(HOT_SHARDS)
            if not _add_to_shard(cursor, row, number):
                open_shards(account_ids=[row[0]])
                _add_to_shard(cursor, row, number)


def _add_to_shard(cursor: CursorWrapper, row: tuple[int, ...], number: int) -> bool:
    account_id, *moved = row
    cursor.execute(
        f"UPDATE {_SHARDS} SET debits_posted = debits_posted + %s, "  # noqa: S608
        "credits_posted = credits_posted + %s, debits_pending = debits_pending + %s, "
        "credits_pending = credits_pending + %s WHERE account_id = %s AND number = %s",
        [*moved, account_id, number],
    )
    return bool(cursor.rowcount)


def open_shards(*, account_ids: Iterable[int]) -> None:
    """Create the shards of hot accounts (idempotent)."""
    AccountShard.objects.bulk_create(
        [
            AccountShard(account_id=account_id, number=number)
            for account_id in account_ids
            for number in range(HOT_SHARDS)
        ],
        ignore_conflicts=True,
    )
