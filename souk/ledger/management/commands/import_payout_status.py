"""Apply the bank's payout status report (CSV, docs/formats.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.ledger import payouts
from souk.ledger.payouts.errors import PayoutStatusFileInvalid


class Command(BaseCommand):
    help = "Mark payouts paid or returned from the bank's status report (CSV, docs/formats.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            report = payouts.import_payout_status(content=content)
        except PayoutStatusFileInvalid as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path} was not imported: nothing was changed.") from error
        for problem in report.problems:
            self.stderr.write(problem)
        summary = (
            f"{len(report.applied)} payout(s) updated, {len(report.unchanged)} already up to "
            f"date, {len(report.problems)} line(s) not applied."
        )
        if report.problems:
            raise CommandError(summary)
        self.stdout.write(summary)
