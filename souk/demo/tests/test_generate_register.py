"""`generate_register`: a deterministic synthetic register that the importer accepts whole."""

from __future__ import annotations

import collections
import csv
import io
import re
from datetime import date

import pytest
from django.core.management import call_command

from souk.registry.models import Trade
from souk.registry.tests.register_files import import_register

pytestmark = pytest.mark.django_db

UNTIL = "2026-01-31"


def generate(path, *arguments: str, rows: int = 200, seed: int = 7):
    call_command(
        "generate_register",
        "--rows",
        str(rows),
        "--seed",
        str(seed),
        "--until",
        UNTIL,
        "--output",
        str(path),
        *arguments,
        stderr=io.StringIO(),
    )
    return path


def test_the_same_seed_gives_the_same_file_and_another_seed_another(tmp_path):
    # when
    first = generate(tmp_path / "a.csv").read_bytes()
    again = generate(tmp_path / "b.csv").read_bytes()
    other = generate(tmp_path / "c.csv", seed=8).read_bytes()

    # then
    assert first == again
    assert first != other
    assert first.count(b"\n") == 201


@pytest.mark.parametrize(
    ("name", "arguments"),
    [
        ("register.csv", []),
        ("registre.csv", ["--french-headers"]),
        ("register.xlsx", ["--format", "xlsx"]),
        ("registre.xlsx", ["--format", "xlsx", "--french-headers"]),
    ],
)
def test_a_generated_register_imports_without_a_rejected_row(tmp_path, name, arguments):
    # given
    path = generate(tmp_path / name, *arguments, rows=500)

    # when
    register_import = import_register(path, "--language", "en")

    # then
    assert register_import.status == "succeeded"
    assert (register_import.created_count, register_import.rejected_count) == (500, 0)


def test_a_generated_register_covers_every_region_and_trade_with_valid_identifiers(tmp_path):
    # when
    path = generate(tmp_path / "register.csv", rows=10_000)

    # then
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["region_code"].zfill(2) for row in rows} == {f"{n:02d}" for n in range(1, 13)}
    trades = dict(Trade.objects.values_list("code", "sector__family"))
    assert {row["trade_code"] for row in rows} == set(trades)
    families = collections.Counter(trades[row["trade_code"]] for row in rows)
    assert families["production"] > 0.85 * len(rows)
    categories = collections.Counter(row["category"] for row in rows)
    assert set(categories) == {"artisan", "maitre_artisan", "cooperative", "entreprise"}
    for row in rows:
        assert date(2022, 2, 21) <= date.fromisoformat(row["registered_at"]) <= date(2026, 1, 31)
        if row["category"] in ("artisan", "maitre_artisan"):
            assert re.fullmatch(r"[A-Z]{1,2}[0-9]{1,6}", row["cin"])
        else:
            assert row["legal_name_fr"]
            assert row["legal_name_ar"]
        if row["category"] == "entreprise":
            assert re.fullmatch(r"[0-9]{15}", row["ice"])
            assert int(row["ice"]) % 97 == 0
    assert len({row["register_number"] for row in rows}) == len(rows)
    assert {row["status"] for row in rows} == {"active", "suspended", "struck_off"}


def test_output_dash_writes_the_csv_to_standard_output(tmp_path):
    # given
    stdout = io.StringIO()

    # when
    call_command(
        "generate_register",
        "--rows",
        "3",
        "--seed",
        "1",
        "--until",
        UNTIL,
        "--output",
        "-",
        stdout=stdout,
    )

    # then
    lines = stdout.getvalue().splitlines()
    assert lines[0].startswith("register_number,category,qualification,cin,")
    assert len(lines) == 4
    assert (
        lines[1:]
        == generate(tmp_path / "same.csv", rows=3, seed=1)
        .read_text(encoding="utf-8")
        .splitlines()[1:]
    )
