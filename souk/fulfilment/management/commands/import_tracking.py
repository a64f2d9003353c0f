"""Apply a carrier's tracking CSV: `python manage.py import_tracking PATH` (docs/formats.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.fulfilment import services


class Command(BaseCommand):
    help = "Apply the tracking events of a carrier's CSV file; each event counts once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            result = services.import_tracking(path=path)
        except services.TrackingFileRefused as error:
            raise CommandError(str(error.message)) from error
        for rejected in result.rejected:
            self.stderr.write(f"line {rejected.line}: {rejected.reason}")
        self.stdout.write(
            f"Applied {result.applied}, already known {result.duplicates}, "
            f"rejected {len(result.rejected)}."
        )
