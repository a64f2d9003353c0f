"""Sectors, trades and regions: loaded by the migration, reloadable by code."""

from __future__ import annotations

import collections
import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from souk.registry.models import Family, Region, RegisterEntry, Sector, Trade
from souk.registry.nomenclature import NOMENCLATURE_CSV, REGIONS_CSV, read_csv

pytestmark = pytest.mark.django_db


def test_migration_loads_13_sectors_172_trades_and_12_regions():
    assert Sector.objects.count() == 13
    assert Trade.objects.count() == 172
    assert Region.objects.count() == 12
    assert Trade.objects.filter(sells_goods=True).count() == 133
    assert list(Region.objects.values_list("code", flat=True)) == [
        f"{number:02d}" for number in range(1, 13)
    ]


def test_loaded_trades_keep_the_reference_rules():
    # The checks of nomenclature.md §8, on what the database holds.
    per_sector = collections.Counter(Trade.objects.values_list("sector_id", flat=True))
    assert len(per_sector) == 13
    assert min(per_sector.values()) >= 4
    for trade in Trade.objects.select_related("sector"):
        assert trade.code.startswith(trade.sector_id + "-T")
        assert trade.sector.family != Family.SERVICES or not trade.sells_goods
        assert bool(re.fullmatch(r"\d{6}", trade.default_hs_code)) == trade.sells_goods
        assert (trade.weight_class != "") == trade.sells_goods


def test_traditional_guns_cannot_be_sold():
    assert Trade.objects.get(code="S04-T15").sells_goods is False


def test_names_follow_the_active_language():
    trade = Trade.objects.get(code="S01-T02")

    names = {}
    for language in ("ar", "fr", "en", "es"):
        with translation.override(language):
            names[language] = trade.name

    assert names == {
        "ar": "أواني الطهي الفخارية (الطواجن والقدور)",
        "fr": "Poterie culinaire (tajines, marmites)",
        "en": "Cooking pottery (tagines, cooking pots)",
        "es": "Alfarería de cocina (tajines, ollas)",
    }
    assert trade.hs_code_display == "6912.00"


def write_corrected_nomenclature(path: Path, *, rename: dict[str, str], drop: set[str]) -> None:
    rows = read_csv(NOMENCLATURE_CSV)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            if row["trade_code"] in drop:
                continue
            row["trade_fr"] = rename.get(row["trade_code"], row["trade_fr"])
            writer.writerow(row)


def test_reloading_a_corrected_nomenclature_renames_in_place_and_keeps_references(tmp_path):
    # given: an entry of the register refers to a trade that the corrected list drops
    entry = RegisterEntry.objects.create(
        register_number="RNA-0001",
        category="artisan",
        cin="AB12345",
        first_name_fr="Fatima",
        last_name_fr="Bennani",
        trade_id="S01-T16",
        region_id="07",
        registered_at="2023-03-01",
        content_hash="0" * 32,
    )
    corrected = tmp_path / "nomenclature.csv"
    write_corrected_nomenclature(
        corrected, rename={"S01-T02": "Poterie culinaire (tajines)"}, drop={"S01-T16"}
    )
    output = io.StringIO()

    # when
    call_command("load_nomenclature", nomenclature=corrected, regions=REGIONS_CSV, stdout=output)

    # then
    assert Trade.objects.get(code="S01-T02").name_fr == "Poterie culinaire (tajines)"
    dropped = Trade.objects.get(code="S01-T16")
    assert dropped.is_active is False
    entry.refresh_from_db()
    assert entry.trade_id == "S01-T16"
    assert Trade.objects.count() == 172
    assert "1 trade(s) no longer listed were deactivated" in output.getvalue()


def test_reloading_the_same_nomenclature_changes_nothing():
    before = list(Trade.objects.order_by("code").values())

    call_command("load_nomenclature", stdout=io.StringIO())

    assert list(Trade.objects.order_by("code").values()) == before
