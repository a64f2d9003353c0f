"""Queue the periodic tasks when they are due, forever (`make run` starts it)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from souk.core.periodic import queue_due_tasks


class Command(BaseCommand):
    help = "Queue the periodic tasks (core/periodic.py) whenever they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between checks.")
        parser.add_argument("--once", action="store_true", help="Check once and exit.")

    def handle(self, *args: Any, interval: float, once: bool, **options: Any) -> None:
        while True:
            close_old_connections()
            for name in queue_due_tasks():
                self.stdout.write(f"queued {name}")
            if once:
                return
            time.sleep(interval)
