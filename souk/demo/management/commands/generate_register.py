"""Write a synthetic register export: `generate_register --rows 420000 --seed 7`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import timezone

from souk.demo.synthetic.register import RegisterGenerator, TradeChoice, write_csv, write_xlsx
from souk.registry.models import Trade


def _day(text: str) -> date:
    return date.fromisoformat(text)


class _Verbatim:
    """Writes to a command's output without the newline OutputWrapper adds to each write."""

    def __init__(self, output: OutputWrapper) -> None:
        self.output = output

    def write(self, text: str, /) -> None:
        self.output.write(text, ending="")


class Command(BaseCommand):
    help = (
        "Write a realistic synthetic register export (register-format.md), the same for the "
        "same --rows, --seed and --until. Written to var/register-<rows>-<seed>.<format> "
        "unless --output names a file; --output - writes CSV to standard output."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, required=True, help="number of data rows")
        parser.add_argument("--seed", type=int, required=True, help="random seed")
        parser.add_argument(
            "--output",
            help="file to write, or - for standard output "
            "(default: var/register-<rows>-<seed>.<format>)",
        )
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
        parser.add_argument(
            "--french-headers",
            action="store_true",
            help="French column names with accents, `;` separator, byte order mark, French "
            "category and status labels and DD/MM/YYYY dates, as a French Excel export",
        )
        parser.add_argument(
            "--until",
            type=_day,
            default=None,
            help="last possible registration date, YYYY-MM-DD (default: today); fix it to "
            "get the same file on another day",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rows: int = options["rows"]
        if rows < 0:
            raise CommandError("--rows must be zero or more")
        trades = [
            TradeChoice(code=code, sector_code=sector)
            for code, sector in Trade.objects.order_by("code").values_list("code", "sector_id")
        ]
        if not trades:
            raise CommandError("No trades in the database: run migrate first.")
        generator = RegisterGenerator(
            seed=options["seed"],
            trades=trades,
            until=options["until"] or timezone.localdate(),
            french=options["french_headers"],
        )
        output: str | None = options["output"]
        file_format: str = options["format"]
        if output == "-":
            if file_format != "csv":
                raise CommandError("Only CSV can be written to standard output.")
            write_csv(_Verbatim(self.stdout), generator, rows)
            return
        path = (
            Path(output)
            if output
            else Path(settings.VAR_DIR) / f"register-{rows}-{options['seed']}.{file_format}"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        if file_format == "xlsx":
            write_xlsx(path, generator, rows)
        else:
            with path.open("w", encoding="utf-8", newline="") as stream:
                write_csv(stream, generator, rows)
        self.stderr.write(f"{rows} rows written to {path}")
