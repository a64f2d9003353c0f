"""Run one register import: stream the file, validate each row, upsert the rows in batches.

Design (docs/register-import.md has the long version):

- Rows are read one at a time and handled in batches of a few thousand. Each batch is
  validated in Python (no query per row), then written in its own transaction: one query
  fetches the batch's existing entries (number, id, content hash, status, last import seen
  in), new rows are inserted and changed rows updated with one prepared statement each
  (souk.core.bulk), and unchanged rows are only stamped with this import. The import's counters
  are updated in the same transaction, so the back office sees progress and a crash leaves
  every finished batch saved and counted.
- Every entry the file lists is stamped with this import (`last_seen_import`), so a full
  import deactivates the entries it did not stamp with one UPDATE at the end, without holding
  the register's numbers in memory. The stamp also tells a number already read earlier in the
  file (a duplicate) from one read in an earlier import.
- Running a file again is safe: unchanged rows are recognised by their content hash, and a
  re-run after a crash only stamps what the first run already wrote.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any, Final, NamedTuple

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from souk.core.bulk import BulkWriter, Row
from souk.registry.importing.columns import Header, resolve_header
from souk.registry.importing.errors import FileProblem, SourceRefused
from souk.registry.importing.readers import SourceRow, open_source
from souk.registry.importing.report import RejectedRowsReport
from souk.registry.importing.validation import (
    DUPLICATE_NUMBER,
    ReferenceCodes,
    RowError,
    ValidRow,
    register_number_of,
    validate_row,
)
from souk.registry.models import (
    EntryStatus,
    ImportKind,
    ImportStatus,
    Region,
    RegisterEntry,
    RegisterImport,
    Trade,
    cin_index_of,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE: Final = 5000

TOO_MANY_CELLS: Final = _("This row has %(count)d cells but the header has %(expected)d.")
UNEXPECTED_FAILURE: Final = _(
    "The import stopped on an unexpected error (%(error)s). The rows before it were imported; "
    "importing the file again is safe."
)

# Written on every insert and update, as RegisterEntry attribute names.
_IMPORTED_ATTRIBUTES: Final = (
    "register_number",
    "category",
    "qualification",
    "cin",
    "cin_index",
    "last_name_fr",
    "first_name_fr",
    "last_name_ar",
    "first_name_ar",
    "legal_name_fr",
    "legal_name_ar",
    "ice",
    "birth_date",
    "phone",
    "trade_id",
    "region_id",
    "province",
    "commune",
    "registered_at",
    "status",
    "content_hash",
    "updated_at",
    "last_seen_import_id",
)


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a running import is, after each batch."""

    processed_rows: int
    estimated_rows: int | None


ProgressListener = Callable[[Progress], None]


class _Known(NamedTuple):
    id: int
    content_hash: str
    status: str
    last_seen_import_id: int | None


@dataclass(slots=True)
class _Checked:
    """A row after validation, before the batch is written."""

    line: int
    number: str | None
    result: ValidRow | list[RowError]
    content_hash: str
    # The raw values, kept for the report of rejected rows only.
    values: dict[str, str]


@dataclass(slots=True)
class _Counts:
    processed_rows: int = 0
    created_count: int = 0
    updated_count: int = 0
    unchanged_count: int = 0
    deactivated_count: int = 0
    rejected_count: int = 0
    warning_count: int = 0

    def as_fields(self) -> dict[str, int]:
        return {
            "processed_rows": self.processed_rows,
            "created_count": self.created_count,
            "updated_count": self.updated_count,
            "unchanged_count": self.unchanged_count,
            "deactivated_count": self.deactivated_count,
            "rejected_count": self.rejected_count,
            "warning_count": self.warning_count,
        }


def run_import(
    *,
    register_import: RegisterImport,
    source: IO[bytes] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: ProgressListener | None = None,
) -> RegisterImport:
    """Run a pending import to its end and return it, refreshed.

    `source` is the open file of a command-line import; a back-office import reads the file
    it stored. An import that is not pending any more (a task delivered twice) is returned
    untouched. A refused file writes no entry. A file that breaks off, or an unexpected error,
    leaves the batches already written in place and marks the import failed; unexpected errors
    are then raised again. Messages are written in the import's language.
    """
    if not _claim(register_import):
        register_import.refresh_from_db()
        return register_import
    with translation.override(register_import.language):
        report = RejectedRowsReport()
        try:
            _run(register_import, source, batch_size, on_progress, report)
        except FileProblem as problem:
            status = (
                ImportStatus.REFUSED if isinstance(problem, SourceRefused) else ImportStatus.FAILED
            )
            _stop(register_import, status=status, error=problem.text(), report=report)
        except Exception as error:
            logger.exception("Register import %s failed", register_import.pk)
            message = str(UNEXPECTED_FAILURE) % {"error": f"{type(error).__name__}: {error}"}
            _stop(register_import, status=ImportStatus.FAILED, error=message, report=report)
            raise
        finally:
            report.close()
    register_import.refresh_from_db()
    return register_import


def _claim(register_import: RegisterImport) -> bool:
    """Move the import from pending to running; False when another run already did."""
    claimed = RegisterImport.objects.filter(
        pk=register_import.pk, status=ImportStatus.PENDING
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    return claimed == 1


@contextmanager
def _opened_file(register_import: RegisterImport, source: IO[bytes] | None) -> Iterator[Any]:
    if source is not None:
        yield source
        return
    with register_import.source_file.open("rb") as stored:
        yield stored


def _run(
    register_import: RegisterImport,
    source: IO[bytes] | None,
    batch_size: int,
    on_progress: ProgressListener | None,
    report: RejectedRowsReport,
) -> None:
    with _opened_file(register_import, source) as handle, open_source(handle) as opened:
        header = resolve_header(opened.header)
        RegisterImport.objects.filter(pk=register_import.pk).update(
            total_rows=opened.estimated_rows
        )
        batcher = _Batcher(register_import=register_import, header=header, report=report)
        for rows in _batches(opened.rows, batch_size):
            batcher.write(batcher.check(rows))
            if on_progress is not None:
                on_progress(Progress(batcher.counts.processed_rows, opened.estimated_rows))
    if register_import.kind == ImportKind.FULL:
        batcher.deactivate_unseen()
    _succeed(register_import, counts=batcher.counts, report=report)


def _batches(rows: Iterator[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    batch: list[SourceRow] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_reference_codes() -> ReferenceCodes:
    """Every trade and region code, and today's date in Morocco: what rows are checked against."""
    return ReferenceCodes(
        trade_codes=frozenset(Trade.objects.values_list("code", flat=True)),
        region_codes=frozenset(Region.objects.values_list("code", flat=True)),
        today=timezone.localdate(),
    )


class _Batcher:
    """Validates and writes batches of rows, keeping the import's counters."""

    def __init__(
        self, *, register_import: RegisterImport, header: Header, report: RejectedRowsReport
    ) -> None:
        self.import_id = register_import.pk
        self.header = header
        self.report = report
        self.reference = load_reference_codes()
        self.counts = _Counts()
        self.writer = BulkWriter(RegisterEntry, update_fields=_IMPORTED_ATTRIBUTES)
        # Numbers of rejected rows that have no entry to stamp: later lines with them are
        # duplicates too. Bounded by the rejected rows, not by the file.
        self.rejected_numbers: set[str] = set()

    def check(self, rows: list[SourceRow]) -> list[_Checked]:
        """Validate a batch: no database access, the reference codes are loaded already."""
        return [self._check(row) for row in rows]

    def write(self, checked: list[_Checked]) -> None:
        """Write a checked batch and the import's counters, in one transaction."""
        numbers = {item.number for item in checked if item.number is not None}
        now = timezone.now()
        with transaction.atomic():
            known = self._known(numbers)
            creates, updates, stamps = self._plan(checked, known, now)
            self.writer.insert(creates)
            self.writer.update(updates)
            if stamps:
                RegisterEntry.objects.filter(pk__in=stamps).update(
                    last_seen_import_id=self.import_id
                )
            self.counts.processed_rows += len(checked)
            RegisterImport.objects.filter(pk=self.import_id).update(**self.counts.as_fields())

    def _check(self, row: SourceRow) -> _Checked:
        values = self.header.values(row.cells)
        extra = row.cells[self.header.width :]
        if any(cell.strip() for cell in extra):
            params: dict[str, object] = {"count": len(row.cells), "expected": self.header.width}
            errors = [RowError("", "", TOO_MANY_CELLS, params)]
            number = register_number_of(values.get("register_number", ""))
            return _Checked(row.line, number, errors, "", values)
        result = validate_row(values, reference=self.reference)
        if isinstance(result, list):
            number = register_number_of(values.get("register_number", ""))
            return _Checked(row.line, number, result, "", values)
        return _Checked(row.line, result.register_number, result, result.content_hash(), {})

    def _known(self, numbers: set[str]) -> dict[str, _Known]:
        rows = RegisterEntry.objects.filter(register_number__in=numbers).values_list(
            "register_number", "id", "content_hash", "status", "last_seen_import_id"
        )
        return {
            number: _Known(
                id=pk, content_hash=content_hash, status=status, last_seen_import_id=seen
            )
            for number, pk, content_hash, status, seen in rows
        }

    def _plan(
        self, checked: list[_Checked], known: dict[str, _Known], now: datetime
    ) -> tuple[list[Row], list[tuple[int, Row]], list[int]]:
        creates: list[Row] = []
        updates: list[tuple[int, Row]] = []
        stamps: list[int] = []
        seen_in_batch: set[str] = set()
        for item in checked:
            existing = known.get(item.number) if item.number is not None else None
            result = item.result
            if item.number is not None:
                if self._is_duplicate(item.number, existing, seen_in_batch):
                    duplicate = RowError("register_number", item.number, DUPLICATE_NUMBER)
                    result = [*result, duplicate] if isinstance(result, list) else [duplicate]
                seen_in_batch.add(item.number)
            if isinstance(result, list):
                self._reject(item, result)
                if existing is not None:
                    # Listed in the file, though not importable: not to be deactivated.
                    stamps.append(existing.id)
                elif item.number is not None:
                    self.rejected_numbers.add(item.number)
                continue
            if result.warnings:
                # Imported, without what it left out: the report says what and why.
                self.counts.warning_count += 1
                self._list(item.line, result.warnings, {})
            content_hash = item.content_hash
            if existing is None:
                creates.append(self._entry(result, content_hash, now, created_at=now))
                self.counts.created_count += 1
            elif existing.content_hash == content_hash and existing.status != EntryStatus.INACTIVE:
                stamps.append(existing.id)
                self.counts.unchanged_count += 1
            else:
                updates.append((existing.id, self._entry(result, content_hash, now)))
                self.counts.updated_count += 1
        return creates, updates, stamps

    def _is_duplicate(self, number: str, existing: _Known | None, seen_in_batch: set[str]) -> bool:
        return (
            number in seen_in_batch
            or number in self.rejected_numbers
            or (existing is not None and existing.last_seen_import_id == self.import_id)
        )

    def _reject(self, item: _Checked, errors: list[RowError]) -> None:
        self.counts.rejected_count += 1
        self._list(item.line, errors, item.values)

    def _list(self, line: int, errors: Iterable[RowError], values: dict[str, str]) -> None:
        """Write a row's rejections or warnings to the report, one line each."""
        for error in errors:
            field_name = error.field_name
            column = self.header.column_name(field_name) if field_name else ""
            value = values.get(field_name, error.value) if field_name else error.value
            self.report.add(line=line, column=column, value=value, reason=error.reason())

    def _entry(self, row: ValidRow, content_hash: str, now: datetime, **extra: Any) -> Row:
        return {
            "register_number": row.register_number,
            "category": row.category,
            "qualification": row.qualification,
            "cin": row.cin,
            "cin_index": cin_index_of(row.cin),
            "last_name_fr": row.last_name_fr,
            "first_name_fr": row.first_name_fr,
            "last_name_ar": row.last_name_ar,
            "first_name_ar": row.first_name_ar,
            "legal_name_fr": row.legal_name_fr,
            "legal_name_ar": row.legal_name_ar,
            "ice": row.ice,
            "birth_date": row.birth_date,
            "phone": row.phone,
            "trade_id": row.trade_code,
            "region_id": row.region_code,
            "province": row.province,
            "commune": row.commune,
            "registered_at": row.registered_at,
            "status": row.status,
            "content_hash": content_hash,
            "updated_at": now,
            "last_seen_import_id": self.import_id,
            **extra,
        }

    def deactivate_unseen(self) -> None:
        """Mark inactive every entry this import did not stamp (full imports only).

        Only the status and updated_at change: claims, shops and history stay as they are.
        """
        with transaction.atomic():
            self.counts.deactivated_count = (
                RegisterEntry.objects.exclude(status=EntryStatus.INACTIVE)
                .exclude(last_seen_import_id=self.import_id)
                .update(status=EntryStatus.INACTIVE, updated_at=timezone.now())
            )
            RegisterImport.objects.filter(pk=self.import_id).update(
                deactivated_count=self.counts.deactivated_count
            )


def _succeed(
    register_import: RegisterImport, *, counts: _Counts, report: RejectedRowsReport
) -> None:
    fields = counts.as_fields()
    for name, value in fields.items():
        setattr(register_import, name, value)
    # The line count was an estimate; once read, the file's rows are known exactly.
    register_import.total_rows = counts.processed_rows
    _stop(
        register_import,
        status=ImportStatus.SUCCEEDED,
        error="",
        report=report,
        extra=[*fields, "total_rows"],
    )


def _stop(
    register_import: RegisterImport,
    *,
    status: str,
    error: str,
    report: RejectedRowsReport,
    extra: list[str] | None = None,
) -> None:
    """Record how the import ended, with the report of the rows rejected so far."""
    if report.lines:
        report.save_to(register_import)
    register_import.status = status
    register_import.error = error
    register_import.finished_at = timezone.now()
    register_import.save(
        update_fields=["status", "error", "finished_at", "report_file", *(extra or [])]
    )
