"""The rejected-rows report: a CSV the operator opens in Excel to fix the export.

Columns `line, column, value, reason`; UTF-8 with a byte order mark, without which Excel reads
Arabic as Windows-1252. Rows are written to a temporary file as they are found, so a file with
many bad rows does not grow the importer's memory, and the report is stored in the private
storage at the end.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from typing import Final

from django.core.files import File

from souk.registry.models import RegisterImport

HEADER: Final = ("line", "column", "value", "reason")

# Spreadsheets run a cell that starts with one of these as a formula (CSV injection). Signed
# numbers and phone numbers are left alone: they are data, and `+212...` must stay readable.
_FORMULA_START: Final = re.compile(r"[=@\t\r]|[+-](?![0-9 ().-]*$)")


def spreadsheet_safe(value: str) -> str:
    """Prefix a quote to text a spreadsheet would execute, so it shows as text instead."""
    return "'" + value if _FORMULA_START.match(value) else value


class RejectedRowsReport:
    """Collects rejected rows in a temporary file until `save_to` stores them."""

    def __init__(self) -> None:
        # Open for the whole import, closed by close(): no single block holds it.
        self._binary = tempfile.TemporaryFile()  # noqa: SIM115
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text)
        self._writer.writerow(HEADER)
        self.lines = 0

    def add(self, *, line: int, column: str, value: str, reason: str) -> None:
        self._writer.writerow(
            (line, spreadsheet_safe(column), spreadsheet_safe(value), spreadsheet_safe(reason))
        )
        self.lines += 1

    def save_to(self, register_import: RegisterImport) -> None:
        """Store the report as `register_import.report_file` (the caller saves the row)."""
        self._text.flush()
        self._binary.seek(0)
        name = f"register-import-{register_import.pk}-rejected-rows.csv"
        register_import.report_file.save(name, File(self._binary, name=name), save=False)

    def close(self) -> None:
        self._text.close()
