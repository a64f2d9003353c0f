"""Queue the periodic tasks when they are due, forever (`make run` starts it)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from souk.core.periodic import queue_due_tasks
from souk.core.reconnect import Backoff


class Command(BaseCommand):
    help = "Queue the periodic tasks (core/periodic.py) whenever they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between checks.")
        parser.add_argument("--once", action="store_true", help="Check once and exit.")

    def check_once(self) -> bool:
        close_old_connections()
        for name in queue_due_tasks():
            self.stdout.write(f"queued {name}")
        return True

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        # A lost database is waited out with backoff (core/reconnect.py), never fatal.
        backoff = Backoff("scheduler")
        while True:
            checked = backoff.run(self.check_once)
            if once and checked:
                return
            if checked:
                time.sleep(interval)
