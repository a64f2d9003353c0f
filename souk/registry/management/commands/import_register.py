"""Import a register export (CSV or .xlsx) from the command line: `import_register PATH`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from souk.core.storage import private_storage
from souk.registry import importing
from souk.registry.models import ImportKind, ImportStatus, RegisterImport

# Without a terminal (a log file, cron), one progress line per this many rows.
LOG_EVERY_ROWS = 100_000
# On a terminal, redraw the progress line at most this often.
REDRAW_SECONDS = 0.5


class TerminalProgress:
    """Rows/s and time left: one line redrawn on a terminal, else a line now and then."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.is_terminal = stream.isatty()
        self.started = time.monotonic()
        self.last_drawn = 0.0
        self.last_logged_rows = 0

    def __call__(self, progress: importing.Progress) -> None:
        now = time.monotonic()
        if self.is_terminal:
            if now - self.last_drawn >= REDRAW_SECONDS:
                self.last_drawn = now
                self.stream.write("\r" + self.describe(progress, now), ending="")
                self.stream.flush()
        elif progress.processed_rows - self.last_logged_rows >= LOG_EVERY_ROWS:
            self.last_logged_rows = progress.processed_rows
            self.stream.write(self.describe(progress, now))

    def describe(self, progress: importing.Progress, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = progress.processed_rows / elapsed
        line = _("%(rows)s rows read, %(rate)s rows/s") % {
            "rows": f"{progress.processed_rows:,}",
            "rate": f"{rate:,.0f}",
        }
        total = progress.estimated_rows
        if total and rate > 0:
            remaining = max(total - progress.processed_rows, 0) / rate
            percent = min(100, round(100 * progress.processed_rows / total))
            line += " · " + _("%(percent)d%%, about %(seconds)d s left") % {
                "percent": percent,
                "seconds": round(remaining),
            }
        return line

    def finish(self) -> None:
        if self.is_terminal and self.last_drawn:
            self.stream.write("")


class Command(BaseCommand):
    help = (
        "Import the national register's export (CSV or .xlsx, see docs/register-import.md). "
        "A full import (the default) marks entries absent from the file inactive; --partial "
        "imports a delta file and deactivates nothing. Exits non-zero when the file is "
        "refused or the import fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the CSV or .xlsx file to import")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="a delta file: update what it lists, deactivate nothing",
        )
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the messages and of the rejected-rows report (default: %(default)s)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=importing.DEFAULT_BATCH_SIZE,
            help="rows written per transaction (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        language: str = options["language"]
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        with translation.override(language):
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            kind = ImportKind.PARTIAL if options["partial"] else ImportKind.FULL
            register_import = importing.record_command_line_import(
                path=path.resolve(), kind=kind, language=language
            )
            progress = TerminalProgress(self.stderr)
            started = time.monotonic()
            with path.open("rb") as handle:
                register_import = importing.run_import(
                    register_import=register_import,
                    source=handle,
                    batch_size=options["batch_size"],
                    on_progress=progress,
                )
            progress.finish()
            self.report(register_import, seconds=time.monotonic() - started)

    def report(self, register_import: RegisterImport, *, seconds: float) -> None:
        if register_import.status != ImportStatus.SUCCEEDED:
            raise CommandError(
                _("Import %(id)d: %(status)s. %(error)s")
                % {
                    "id": register_import.pk,
                    "status": register_import.get_status_display(),
                    "error": register_import.error,
                }
            )
        rows = register_import.processed_rows
        self.stdout.write(
            _(
                "Import %(id)d done: %(rows)d rows in %(seconds).1f s (%(rate)d rows/s). "
                "Created %(created)d, updated %(updated)d, unchanged %(unchanged)d, "
                "deactivated %(deactivated)d, rejected %(rejected)d."
            )
            % {
                "id": register_import.pk,
                "rows": rows,
                "seconds": seconds,
                "rate": round(rows / seconds) if seconds > 0 else rows,
                "created": register_import.created_count,
                "updated": register_import.updated_count,
                "unchanged": register_import.unchanged_count,
                "deactivated": register_import.deactivated_count,
                "rejected": register_import.rejected_count,
            }
        )
        if register_import.warning_count:
            self.stdout.write(
                ngettext(
                    "%(count)d entry imported without a doubtful phone (see the report).",
                    "%(count)d entries imported without a doubtful phone (see the report).",
                    register_import.warning_count,
                )
                % {"count": register_import.warning_count}
            )
        if register_import.report_file:
            self.stdout.write(
                _("Rejected rows and warnings: %(path)s")
                % {"path": private_storage.path(register_import.report_file.name)}
            )
