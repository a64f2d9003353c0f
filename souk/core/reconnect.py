"""Ride out a database outage in a long-running process (worker, scheduler).

A loop wraps each iteration in `Backoff.run`: a lost connection (OperationalError,
InterfaceError) closes the broken connection, is logged once, and the loop waits 1, 2, 4 ... at
most 30 seconds before trying again; the first iteration that works logs the recovery. The
process never exits because the database went away (docs/reliability.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger("souk.reconnect")

T = TypeVar("T")

FIRST_DELAY = 1.0
MAX_DELAY = 30.0
DATABASE_LOST = (OperationalError, InterfaceError)


def close_all_connections() -> None:
    """Drop every connection of this thread: the next query opens a fresh one."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DATABASE_LOST:
            # Closing a connection whose server is gone can fail too; it is gone either way.
            conn.connection = None


class Backoff:
    """The state of one loop's reconnection: how long to wait next, and whether it is failing."""

    def __init__(
        self,
        name: str,
        *,
        sleep: Callable[[float], None] = time.sleep,
        max_delay: float = MAX_DELAY,
    ) -> None:
        self.name = name
        self.sleep = sleep
        self.max_delay = max_delay
        self.delay = FIRST_DELAY
        self.failures = 0

    def run(self, step: Callable[[], T]) -> T | None:
        """Run one iteration; on a lost database, recover as above and return None."""
        try:
            result = step()
        except DATABASE_LOST as error:
            self.failed(error)
            return None
        self.succeeded()
        return result

    def failed(self, error: Exception) -> None:
        close_all_connections()
        if self.failures == 0:
            logger.error("%s: database unreachable (%s); retrying with backoff", self.name, error)
        self.failures += 1
        self.sleep(self.delay)
        self.delay = min(self.delay * 2, self.max_delay)

    def succeeded(self) -> None:
        if self.failures:
            logger.warning("%s: database back after %d failed attempt(s)", self.name, self.failures)
        self.failures = 0
        self.delay = FIRST_DELAY
