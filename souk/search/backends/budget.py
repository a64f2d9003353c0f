"""A time bound on the queries of one search, on both databases.

At a million listings a search for a very common word, or counting a million documents, took
seconds and held a web worker all that time (`?q=a` took 14 s; two at once made a product page
take 7.8 s). Every search therefore runs under `time_bound(ms)`: its queries together may take
`ms` milliseconds (settings.SOUK_SEARCH_TIMEOUT_MS); past that the database itself stops the
running statement and `SearchTimedOut` is raised, so the caller answers with a cheaper, bounded
query (the newest matches, sql.SqlSearchBackend) instead of waiting.

- PostgreSQL: `statement_timeout` set with `set_config(..., true)` (SET LOCAL) to the time left
  before each statement, inside a savepoint (`atomic`) so a cancelled statement rolls back to it
  and the setting ends with it; when the block ends well the session's value is put back
  (`SET LOCAL ... TO DEFAULT`: released, a savepoint's SET LOCAL lasts until the outer
  transaction ends).
- SQLite: the connection's progress handler, called every PROGRESS_STEPS virtual machine steps,
  interrupts the statement once the deadline has passed ("interrupted"). No transaction is
  opened: Souk's SQLite transactions are IMMEDIATE (they take the write lock), and a read needs
  none.

A statement about to start after the deadline is not started.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import OperationalError, connection, transaction

# Virtual machine steps of SQLite between two looks at the clock (a few microseconds).
PROGRESS_STEPS = 1000
# PostgreSQL's code of a statement cancelled by statement_timeout.
QUERY_CANCELED = "57014"


class SearchTimedOut(Exception):
    """The search's queries did not finish within their time."""


def _milliseconds_left(deadline: float) -> int:
    left = deadline - time.monotonic()
    if left <= 0:
        raise SearchTimedOut
    return max(1, int(left * 1000))


def _is_cancelled(error: OperationalError) -> bool:
    cause = error.__cause__
    if connection.vendor == "postgresql":
        return getattr(cause, "sqlstate", None) == QUERY_CANCELED
    return "interrupted" in str(error)


@contextmanager
def time_bound(milliseconds: float, planner: dict[str, str] | None = None) -> Iterator[None]:
    """Run the block's queries within `milliseconds` in all, or raise SearchTimedOut.
    PostgreSQL runs them with the `planner` settings (name: value), put back after."""
    deadline = time.monotonic() + milliseconds / 1000
    try:
        if connection.vendor == "postgresql":
            with _postgres_bound(deadline, planner or {}):
                yield
        else:
            with _sqlite_bound(deadline):
                yield
    except OperationalError as error:
        if _is_cancelled(error):
            raise SearchTimedOut from error
        raise


@contextmanager
def _postgres_bound(deadline: float, planner: dict[str, str]) -> Iterator[None]:
    settings = {**planner, "statement_timeout": ""}
    calls = ", ".join(["set_config(%s, %s, true)"] * len(settings))

    def before_each(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        settings["statement_timeout"] = f"{_milliseconds_left(deadline)}ms"
        context["cursor"].cursor.execute(
            f"SELECT {calls}", [part for pair in settings.items() for part in pair]
        )
        return execute(sql, params, many, context)

    with transaction.atomic():
        with connection.execute_wrapper(before_each):
            yield
        with connection.cursor() as cursor:
            # Names of our own settings, never a visitor's value.
            cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in settings))


@contextmanager
def _sqlite_bound(deadline: float) -> Iterator[None]:
    def before_each(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        _milliseconds_left(deadline)
        return execute(sql, params, many, context)

    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), PROGRESS_STEPS)
    try:
        with connection.execute_wrapper(before_each):
            yield
    finally:
        raw.set_progress_handler(None, PROGRESS_STEPS)
