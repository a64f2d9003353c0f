"""Write the sandbox processor's settlement file of one day (docs/formats.md)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.sandbox import settlement


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {text!r}") from error


class Command(BaseCommand):
    help = "Write the CSV the sandbox processor would send for one day's settlement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, help="the settlement day, YYYY-MM-DD")
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        day = _day(options["date"])
        path: Path = options["path"]
        with path.open("w", encoding="utf-8", newline="") as out:
            count = settlement.write_settlement(day=day, out=out)
        self.stdout.write(f"{count} transaction(s) settled on {day.isoformat()} written to {path}.")
