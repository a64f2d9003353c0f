"""Load the sectors, trades and regions from their CSV files (upsert by code).

The files kept in `souk/registry/data/` are copies of the reference nomenclature. Loading a
corrected file later updates names and attributes in place; codes never change, so every
reference (register entries, listings, statistics) still resolves. A trade missing from the
new file is kept and marked inactive, never deleted.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
NOMENCLATURE_CSV = DATA_DIR / "nomenclature.csv"
REGIONS_CSV = DATA_DIR / "regions.csv"

LANGUAGES = ("ar", "fr", "en", "es")


@dataclass(frozen=True, slots=True)
class LoadSummary:
    sectors: int
    trades: int
    regions: int
    deactivated_trades: int


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(
    *,
    sector_model: Any,
    trade_model: Any,
    region_model: Any,
    nomenclature_path: Path = NOMENCLATURE_CSV,
    regions_path: Path = REGIONS_CSV,
) -> LoadSummary:
    """Upsert sectors, trades and regions by code. Takes model classes so migrations can pass
    their historical models."""
    rows = read_csv(nomenclature_path)
    sectors: dict[str, dict[str, str]] = {}
    for row in rows:
        sectors.setdefault(row["sector_code"], row)
    for code, row in sectors.items():
        sector_model.objects.update_or_create(
            code=code,
            defaults={
                "family": row["family"],
                **{f"name_{lang}": row[f"sector_{lang}"] for lang in LANGUAGES},
            },
        )
    for row in rows:
        trade_model.objects.update_or_create(
            code=row["trade_code"],
            defaults={
                "sector_id": row["sector_code"],
                "sells_goods": row["sells_goods"] == "yes",
                "default_hs_code": row["default_hs_code"],
                "weight_class": row["weight_class"],
                "source": row["source"],
                "is_active": True,
                **{f"name_{lang}": row[f"trade_{lang}"] for lang in LANGUAGES},
            },
        )
    listed = {row["trade_code"] for row in rows}
    deactivated = (
        trade_model.objects.exclude(code__in=listed).filter(is_active=True).update(is_active=False)
    )
    region_rows = read_csv(regions_path)
    for row in region_rows:
        region_model.objects.update_or_create(
            code=row["region_code"].zfill(2),
            defaults={
                "source": row["source"],
                **{f"name_{lang}": row[f"name_{lang}"] for lang in LANGUAGES},
            },
        )
    return LoadSummary(
        sectors=len(sectors),
        trades=len(rows),
        regions=len(region_rows),
        deactivated_trades=deactivated,
    )
