"""Helpers for the register import tests: write register files, run the command, read reports.

Private files go to each test's tmp_path (the `_files_in_tmp_path` fixture of conftest.py).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from django.core.management import call_command

from souk.registry.importing.columns import FIELDS
from souk.registry.models import RegisterEntry, RegisterImport


def artisan(number: str = "RNA-0001", **overrides: str) -> dict[str, str]:
    """A valid artisan row; keyword arguments replace columns."""
    row = {
        "register_number": number,
        "category": "artisan",
        "qualification": "diplome",
        "cin": "AB123456",
        "last_name_fr": "BENNANI",
        "first_name_fr": "Amina",
        "last_name_ar": "بناني",
        "first_name_ar": "أمينة",
        "birth_date": "1985-04-12",
        "phone": "06 12 34 56 78",
        "trade_code": "S01-T02",
        "region_code": "07",
        "province": "Safi",
        "commune": "Safi",
        "registered_at": "2023-03-01",
        "status": "active",
    }
    row.update(overrides)
    return row


def cooperative(number: str = "COOP-0001", **overrides: str) -> dict[str, str]:
    row = {
        "register_number": number,
        "category": "cooperative",
        "legal_name_fr": "Coopérative Tafilalet des tapis",
        "legal_name_ar": "تعاونية تافيلالت للزرابي",
        "trade_code": "S07-T01",
        "region_code": "08",
        "registered_at": "2022-06-15",
    }
    row.update(overrides)
    return row


def company(number: str = "ENT-0001", **overrides: str) -> dict[str, str]:
    row = {
        "register_number": number,
        "category": "entreprise",
        "legal_name_fr": "Bennani Artisanat SARL",
        "ice": "001561191000066",
        "trade_code": "S06-T01",
        "region_code": "03",
        "registered_at": "2024-01-10",
    }
    row.update(overrides)
    return row


def write_register(
    path: Path,
    rows: list[dict[str, str]],
    *,
    header: list[str] | None = None,
    delimiter: str = ",",
    byte_order_mark: bool = False,
) -> Path:
    """Write rows as CSV; `header` renames the columns (same order as FIELDS) when given."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header or FIELDS)
    for row in rows:
        writer.writerow([row.get(field, "") for field in FIELDS])
    path.write_text(("\ufeff" if byte_order_mark else "") + buffer.getvalue(), encoding="utf-8")
    return path


def import_register(path: Path, *arguments: str, **options: Any) -> RegisterImport:
    """Run `import_register` and return the import it recorded."""
    call_command(
        "import_register",
        str(path),
        *arguments,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        **options,
    )
    return RegisterImport.objects.latest("id")


def report_rows(register_import: RegisterImport) -> list[dict[str, str]]:
    """The rejected-rows report as dictionaries; checks it starts with a byte order mark."""
    with register_import.report_file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


# Every column but the last-import stamp, which each import rewrites by design.
ENTRY_COLUMNS = [
    field.attname
    for field in RegisterEntry._meta.concrete_fields
    if field.attname != "last_seen_import_id"
]


def snapshot() -> list[dict[str, object]]:
    return list(RegisterEntry.objects.order_by("id").values(*ENTRY_COLUMNS))


def counts(register_import: RegisterImport) -> dict[str, int]:
    return {
        "created": register_import.created_count,
        "updated": register_import.updated_count,
        "unchanged": register_import.unchanged_count,
        "deactivated": register_import.deactivated_count,
        "rejected": register_import.rejected_count,
    }


def status_of(number: str) -> str:
    return RegisterEntry.objects.get(register_number=number).status
