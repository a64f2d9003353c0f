"""Run a use case once more when the database aborted it to settle a conflict.

PostgreSQL aborts one transaction of a deadlock (SQLSTATE 40P01) or a serialization failure
(40001); SQLite gives up waiting for its write lock ("database is locked"). The aborted
transaction wrote nothing, so running the whole use case again is safe, and it almost always
succeeds: the other transaction has finished meanwhile. A second failure becomes
ConcurrentChange, a 409 with a translated message, never a 500.

The retry must wrap the whole transaction: decorate the outermost use case a person's request
calls, above its @transaction.atomic. Called inside a caller's transaction (which the conflict
aborted as well), the decorator only passes the error on, for the caller's own retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import OperationalError, transaction
from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError

logger = logging.getLogger("souk.core")

P = ParamSpec("P")
R = TypeVar("R")

# Deadlock detected, serialization failure.
RETRIED_SQLSTATES = frozenset({"40P01", "40001"})


class ConcurrentChange(DomainError):
    code = "concurrent_change"
    http_status = 409
    message = _(
        "Someone else changed this at the same moment and nothing was done. Please try again."
    )


def is_conflict(error: OperationalError) -> bool:
    """Whether the database aborted the transaction to settle a conflict with another one."""
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return sqlstate in RETRIED_SQLSTATES or "database is locked" in str(error)


def retry_on_conflict(use_case: Callable[P, R]) -> Callable[P, R]:
    """Run `use_case` again once if the database aborted it in a conflict (see above)."""

    @wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if transaction.get_connection().in_atomic_block:
            return use_case(*args, **kwargs)
        try:
            return use_case(*args, **kwargs)
        except OperationalError as error:
            if not is_conflict(error):
                raise
            logger.warning("%s aborted by a conflict, run again: %s", use_case.__name__, error)
        try:
            return use_case(*args, **kwargs)
        except OperationalError as error:
            if not is_conflict(error):
                raise
            logger.error("%s aborted by a conflict twice: %s", use_case.__name__, error)
            raise ConcurrentChange() from error

    return run
