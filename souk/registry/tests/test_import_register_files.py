"""`import_register` on files operators bring: missing columns, encodings, separators, French
headers, xlsx, broken files; the command's output. Real files, the real database."""

from __future__ import annotations

import io
import re
from datetime import date

# openpyxl ships no type hints (types-openpyxl is not a dependency).
import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from souk.core.storage import private_storage
from souk.registry import importing
from souk.registry.models import RegisterEntry, RegisterImport
from souk.registry.tests.register_files import (
    artisan,
    cooperative,
    counts,
    import_register,
    report_rows,
    snapshot,
    status_of,
    write_register,
)

pytestmark = pytest.mark.django_db


def test_a_file_without_a_required_column_is_refused_and_writes_nothing(tmp_path):
    # given: a register already imported, then a file lacking two required columns
    import_register(write_register(tmp_path / "v1.csv", [artisan("A-001")]))
    before = snapshot()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("register_number,category,region_code,cin\nA-2,artisan,07,AB1\n")

    # when
    with pytest.raises(CommandError) as raised:
        call_command("import_register", str(wrong), "--language", "en", stdout=io.StringIO())

    # then
    register_import = RegisterImport.objects.latest("id")
    message = (
        "The header row lacks the required columns: trade_code (code_metier), "
        "registered_at (date_inscription). Nothing was imported."
    )
    assert str(raised.value) == (
        f"Import {register_import.pk}: Refused: not a register export. {message}"
    )
    assert register_import.status == "refused"
    assert register_import.error == message
    assert (register_import.processed_rows, register_import.total_rows) == (0, None)
    assert register_import.report_file.name == ""
    assert register_import.finished_at is not None
    assert snapshot() == before


def test_a_header_without_rows_is_refused_and_deactivates_nothing(tmp_path):
    # given
    import_register(write_register(tmp_path / "v1.csv", [artisan("A-001")]))
    empty = write_register(tmp_path / "empty.csv", [])

    # when
    with pytest.raises(CommandError):
        call_command("import_register", str(empty), stdout=io.StringIO())

    # then
    assert RegisterImport.objects.latest("id").status == "refused"
    assert status_of("A-001") == "active"


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    # given: a Windows-1252 export, as Excel's plain "CSV" writes it
    path = write_register(tmp_path / "register.csv", [artisan("A-001", commune="Fès")])
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252", errors="replace"))

    # when
    with pytest.raises(CommandError):
        call_command("import_register", str(path), "--language", "en", stdout=io.StringIO())

    # then
    register_import = RegisterImport.objects.latest("id")
    assert register_import.status == "refused"
    assert register_import.error.startswith("The file is not UTF-8 text (line 2).")
    assert RegisterEntry.objects.count() == 0


def test_byte_order_mark_and_semicolon_separator_are_read(tmp_path):
    # given
    path = write_register(
        tmp_path / "register.csv",
        [artisan("A-001"), cooperative("C-001", legal_name_fr="Coopérative Safi; poterie")],
        delimiter=";",
        byte_order_mark=True,
    )

    # when
    register_import = import_register(path)

    # then
    assert (register_import.created_count, register_import.rejected_count) == (2, 0)
    assert RegisterEntry.objects.get(register_number="A-001").last_name_ar == "بناني"
    assert RegisterEntry.objects.get(register_number="C-001").legal_name_fr == (
        "Coopérative Safi; poterie"
    )


def test_french_headers_with_accents_and_french_values_are_read(tmp_path):
    # given: French column names in any case, with accents; an unknown column is ignored
    path = tmp_path / "registre.csv"
    path.write_text(
        "\ufeffNuméro_Registre;CATÉGORIE;cin;Nom_FR;Prénom FR;Date_Naissance;Téléphone;"
        "Code-Métier;Code_Région;Date_Inscription;Statut;Observations\n"
        "RNA-7;Maître artisan;ab12345;ALAOUI;Driss;03/11/1970;+212 6 61 23 45 67;"
        "S07-T01;8;15/09/2022;Suspendu;à revoir\n",
        encoding="utf-8",
    )

    # when
    register_import = import_register(path)

    # then
    assert (register_import.created_count, register_import.rejected_count) == (1, 0)
    entry = RegisterEntry.objects.get(register_number="RNA-7")
    assert (entry.category, entry.cin, entry.first_name_fr, entry.last_name_fr) == (
        "maitre_artisan",
        "AB12345",
        "Driss",
        "ALAOUI",
    )
    assert (entry.birth_date, entry.registered_at) == (date(1970, 11, 3), date(2022, 9, 15))
    assert (entry.phone, entry.trade_id, entry.region_id, entry.status) == (
        "+212661234567",
        "S07-T01",
        "08",
        "suspended",
    )


def test_the_first_sheet_of_an_xlsx_file_is_read(tmp_path):
    # given: dates and numbers typed as such by Excel, and a second sheet that is ignored
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    header = "Numéro registre|Catégorie|CIN|Nom AR|Prénom AR|Date naissance|Téléphone|Code métier"
    sheet.append([*header.split("|"), "Code région", "Date inscription"])
    first = ["RNA-9", "Artisan", "JB4567", "السوسي", "لحسن", date(1990, 5, 1), 612345678]
    sheet.append([*first, "S06-T03", 9, date(2022, 3, 1)])
    second = ["RNA-10", "Artisan", "JB4568", "السوسي", "إيطو", date(1992, 2, 29), "0612345679"]
    sheet.append([*second, "S99-T03", 9, date(2022, 3, 1)])
    workbook.create_sheet("Notes").append(["not", "a", "register"])
    path = tmp_path / "registre.xlsx"
    workbook.save(path)

    # when
    register_import = import_register(path, "--language", "en")

    # then
    assert (register_import.created_count, register_import.rejected_count) == (1, 1)
    assert register_import.total_rows == 2
    entry = RegisterEntry.objects.get(register_number="RNA-9")
    assert (entry.first_name_ar, entry.last_name_ar, entry.birth_date) == (
        "لحسن",
        "السوسي",
        date(1990, 5, 1),
    )
    assert (entry.phone, entry.region_id, entry.registered_at) == (
        "+212612345678",
        "09",
        date(2022, 3, 1),
    )
    assert report_rows(register_import) == [
        {
            "line": "3",
            "column": "Code métier",
            "value": "S99-T03",
            "reason": "Unknown trade code “S99-T03”.",
        }
    ]


def test_a_row_with_more_cells_than_the_header_is_rejected(tmp_path):
    # given
    path = write_register(tmp_path / "register.csv", [artisan("A-001")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write("A-2,artisan" + "," * 18 + "extra\n")

    # when
    register_import = import_register(path, "--language", "en")

    # then
    assert report_rows(register_import) == [
        {
            "line": "3",
            "column": "",
            "value": "",
            "reason": "This row has 20 cells but the header has 19.",
        }
    ]


def test_a_file_breaking_off_keeps_earlier_batches_and_importing_it_again_is_safe(tmp_path):
    # given: line 4 opens a quote that never closes
    path = write_register(tmp_path / "register.csv", [artisan("A-001"), artisan("A-002")])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('A-3,artisan,"' + "x" * 200_000 + "\n")

    # when
    with pytest.raises(CommandError):
        call_command(
            "import_register",
            str(path),
            "--language",
            "en",
            "--batch-size",
            "2",
            stdout=io.StringIO(),
        )

    # then: the first batch is saved and counted, the import says why it stopped
    failed = RegisterImport.objects.latest("id")
    assert failed.status == "failed"
    assert failed.error == (
        "The file is not valid CSV from line 4 (field larger than field limit (131072)). "
        "The rows before it were imported."
    )
    assert (failed.processed_rows, failed.created_count) == (2, 2)
    assert sorted(RegisterEntry.objects.values_list("register_number", flat=True)) == [
        "A-001",
        "A-002",
    ]

    # when: the corrected file is imported
    fixed = write_register(path, [artisan("A-001"), artisan("A-002"), artisan("A-003")])
    again = import_register(fixed)

    # then
    assert counts(again) == {
        "created": 1,
        "updated": 0,
        "unchanged": 2,
        "deactivated": 0,
        "rejected": 0,
    }


def test_the_command_prints_the_summary_and_where_the_report_is(tmp_path):
    # given
    path = write_register(
        tmp_path / "register.csv", [artisan("A-001"), artisan("A-002", cin="?"), cooperative()]
    )
    stdout, stderr = io.StringIO(), io.StringIO()

    # when
    call_command("import_register", str(path), "--language", "en", stdout=stdout, stderr=stderr)

    # then
    register_import = RegisterImport.objects.get()
    lines = stdout.getvalue().splitlines()
    assert re.fullmatch(
        rf"Import {register_import.pk} done: 3 rows in [0-9.]+ s \([0-9]+ rows/s\)\. "
        r"Created 2, updated 0, unchanged 0, deactivated 0, rejected 1\.",
        lines[0],
    )
    report_path = private_storage.path(register_import.report_file.name)
    assert lines[1:] == [f"Rejected rows and warnings: {report_path}"]
    assert register_import.original_name == str(path.resolve())
    # Not a terminal, and far fewer rows than a progress line needs.
    assert stderr.getvalue() == ""


class Terminal(io.StringIO):
    """Standard error as a terminal would present it."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_progress_is_redrawn_on_one_line_with_rate_and_time_left(tmp_path):
    # given
    path = write_register(
        tmp_path / "register.csv", [artisan(f"A-{number:04d}") for number in range(5)]
    )
    terminal = Terminal()

    # when
    call_command(
        "import_register",
        str(path),
        "--language",
        "en",
        "--batch-size",
        "2",
        stdout=io.StringIO(),
        stderr=terminal,
    )

    # then: the first batch draws the line (later ones come within the redraw interval)
    assert re.fullmatch(
        r"\r2 rows read, [0-9,]+ rows/s · 40%, about [0-9]+ s left\n", terminal.getvalue()
    )


def test_an_import_that_already_ran_is_not_run_again(tmp_path):
    # given: a task delivered twice runs the same import twice
    register_import = import_register(write_register(tmp_path / "r.csv", [artisan("A-001")]))
    before = snapshot()

    # when
    again = importing.run_import(register_import=register_import)

    # then
    assert again.status == "succeeded"
    assert counts(again) == counts(register_import)
    assert RegisterImport.objects.count() == 1
    assert snapshot() == before
