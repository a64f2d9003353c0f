"""Import a carrier's cash-on-delivery remittance file (docs/formats.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.payments import remittances
from souk.payments.errors import RemittanceFileRefused


class Command(BaseCommand):
    help = "Record the cash a carrier collected on delivery, one parcel per line; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = remittances.import_cod_remittance(path=options["path"])
        except RemittanceFileRefused as error:
            raise CommandError(f"{error.message} {error.detail or ''}".strip()) from error
        for problem in result.problems:
            self.stderr.write(f"line {problem.line}: {problem.reason}")
        self.stdout.write(
            f"{result.recorded} parcel(s) recorded, {result.already_imported} already imported, "
            f"{len(result.problems)} line(s) refused."
        )
