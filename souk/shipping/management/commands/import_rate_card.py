"""Load a carrier's rate card: `python manage.py import_rate_card PATH` (docs/shipping.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.shipping import services


class Command(BaseCommand):
    help = "Replace a carrier's rates, zone by zone, with those of a CSV rate card."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            count = services.import_rate_card(path=path)
        except services.RateCardRefused as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(f"Loaded {count} rates.")
