"""Check a sales attestation file (or a code): says GENUINE with the attested figures, or
ALTERED / NOT SIGNED / UNKNOWN, and exits non-zero unless genuine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.banking import attestation


class Command(BaseCommand):
    help = "Verify a Souk sales attestation: a PDF file, or --code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the attestation PDF")
        parser.add_argument("--code", help="a verification code instead of a file")
        parser.add_argument("--language", default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            found = attestation.find_by_code(options["code"])
            verdict = "genuine" if found else "unknown"
        elif options["file"]:
            result = attestation.verify_file(Path(options["file"]).read_bytes())
            found, verdict = result.attestation, result.verdict.value
        else:
            raise CommandError("Give a file or --code.")
        if verdict != "genuine":
            raise CommandError(
                {
                    "altered": "ALTERED: the file was changed after Souk signed it.",
                    "unsigned": "NOT SIGNED: the file carries no Souk signature.",
                    "unknown": "UNKNOWN: no attestation has this code.",
                }[verdict]
            )
        self.stdout.write("GENUINE: signed by Souk and unchanged.")
        if found is not None:
            for label, value in attestation.figure_lines(found, options["language"]):
                self.stdout.write(f"{label}: {value}")
