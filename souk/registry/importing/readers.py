"""Read a register file as a stream of rows, whatever its format.

CSV: UTF-8 with or without a byte order mark, `,` or `;` between cells (whichever the header
line uses more). Excel: the first sheet of an `.xlsx` workbook, read in openpyxl's read-only
mode. Either way rows are yielded one at a time with the number of the line (or sheet row) they
start on, the header being line 1, so memory stays flat whatever the file's size.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import IO, Final

# openpyxl ships no type hints (types-openpyxl is not a dependency): read it as Any.
import openpyxl  # type: ignore[import-untyped]
from django.utils.translation import gettext_lazy as _
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from souk.registry.importing.errors import SourceRefused, SourceUnreadable

_ZIP_MAGIC: Final = b"PK\x03\x04"
# Excel 97-2003 (.xls) files are OLE compound documents.
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_CHUNK: Final = 1 << 20

NOT_UTF8: Final = _(
    "The file is not UTF-8 text (line %(line)d). Save it as “CSV UTF-8” or as an Excel "
    "workbook (.xlsx) and import it again. Nothing was imported."
)
OLD_EXCEL: Final = _(
    "Excel 97-2003 files (.xls) are not read: save the file as .xlsx or as “CSV UTF-8”. "
    "Nothing was imported."
)
NOT_A_WORKBOOK: Final = _(
    "The file could not be opened as an Excel workbook. Nothing was imported."
)
NO_HEADER: Final = _("The file is empty: no header row. Nothing was imported.")
NO_ROWS: Final = _("The file has a header row but no data rows. Nothing was imported.")
MALFORMED_CSV: Final = _(
    "The file is not valid CSV from line %(line)d (%(error)s). The rows before it were imported."
)


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row: the line it starts on (header = 1) and its cells as text."""

    line: int
    cells: list[str]


@dataclass(frozen=True, slots=True)
class OpenedSource:
    header: list[str]
    rows: Iterator[SourceRow]
    # Counted without parsing (lines for CSV, the sheet's dimension for Excel): for progress.
    estimated_rows: int | None


@contextmanager
def open_source(handle: IO[bytes]) -> Iterator[OpenedSource]:
    """Open a seekable binary file as a register source; raise SourceRefused when it is not one."""
    magic = handle.read(4)
    handle.seek(0)
    if magic == _OLE_MAGIC:
        raise SourceRefused(OLD_EXCEL)
    if magic == _ZIP_MAGIC:
        with _open_workbook(handle) as source:
            yield _require_rows(source)
    else:
        with _open_csv(handle) as source:
            yield _require_rows(source)


def _require_rows(source: OpenedSource) -> OpenedSource:
    """Refuse a file with no data row before anything is written: a full import of it would
    otherwise deactivate the whole register."""
    first = next(source.rows, None)
    if first is None:
        raise SourceRefused(NO_ROWS)
    return OpenedSource(
        header=source.header,
        rows=_chain_first(first, source.rows),
        estimated_rows=source.estimated_rows,
    )


def _chain_first(first: SourceRow, rest: Iterator[SourceRow]) -> Iterator[SourceRow]:
    yield first
    yield from rest


def count_csv_lines(handle: IO[bytes]) -> int:
    """Lines in the file, checking on the way that it is UTF-8; raises SourceRefused if not.

    A byte count, not a CSV parse: a quoted cell spanning lines counts more than once, which
    is good enough for a progress bar and costs a fraction of a second for 420,000 rows.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    last = b""
    while chunk := handle.read(_CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as error:
            line = lines + chunk[: error.start].count(b"\n") + 1
            raise SourceRefused(NOT_UTF8, line=line) from error
        lines += chunk.count(b"\n")
        last = chunk[-1:]
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise SourceRefused(NOT_UTF8, line=lines + 1) from error
    handle.seek(0)
    return lines + (1 if last not in (b"", b"\n") else 0)


@contextmanager
def _open_csv(handle: IO[bytes]) -> Iterator[OpenedSource]:
    total_lines = count_csv_lines(handle)
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        first_line = text.readline()
        if not first_line.strip():
            raise SourceRefused(NO_HEADER)
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        header = next(csv.reader([first_line], delimiter=delimiter))
        reader = csv.reader(text, delimiter=delimiter)
        yield OpenedSource(
            header=header, rows=_csv_rows(reader), estimated_rows=max(total_lines - 1, 0)
        )
    finally:
        # The caller owns the binary handle: leave it open.
        text.detach()


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[SourceRow]:
    # reader.line_num counts the lines read after the header, which is line 1.
    line_num = 0
    while True:
        start = line_num + 2
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise SourceUnreadable(MALFORMED_CSV, line=start, error=str(error)) from error
        line_num = reader.line_num  # type: ignore[attr-defined]  # csv readers have line_num
        if any(cell.strip() for cell in cells):
            yield SourceRow(line=start, cells=cells)


@contextmanager
def _open_workbook(handle: IO[bytes]) -> Iterator[OpenedSource]:
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as error:
        raise SourceRefused(NOT_A_WORKBOOK) from error
    try:
        if not workbook.worksheets:
            raise SourceRefused(NOT_A_WORKBOOK)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None or not any(_cell_text(cell).strip() for cell in first):
            raise SourceRefused(NO_HEADER)
        max_row = sheet.max_row
        yield OpenedSource(
            header=[_cell_text(cell) for cell in first],
            rows=_sheet_rows(rows),
            estimated_rows=max_row - 1 if max_row else None,
        )
    finally:
        workbook.close()


def _sheet_rows(rows: Iterator[tuple[object, ...]]) -> Iterator[SourceRow]:
    for line, values in enumerate(rows, start=2):
        cells = [_cell_text(value) for value in values]
        if any(cell.strip() for cell in cells):
            yield SourceRow(line=line, cells=cells)


def _cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold: dates ISO, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
