"""Import the central bank's reference exchange rates from a CSV (date,currency,rate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.core import fx


class Command(BaseCommand):
    help = "Import exchange rates (MAD per unit) from a CSV; a date in the file replaces that date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--source", default="Bank Al-Maghrib reference rates")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = fx.import_rates(path=options["path"], source=options["source"])
        except fx.RateFileRefused as error:
            raise CommandError(str(error.message)) from error
        for rejected in result.rejected:
            self.stderr.write(f"line {rejected.line}: {rejected.reason}")
        self.stdout.write(
            f"{result.imported} rate(s) imported for {len(result.dates)} date(s); "
            f"{len(result.rejected)} row(s) rejected."
        )
