"""Reload the sectors, trades and regions from CSV files (e.g. a corrected nomenclature)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from souk.registry.models import Region, Sector, Trade
from souk.registry.nomenclature import NOMENCLATURE_CSV, REGIONS_CSV, load_reference_data


class Command(BaseCommand):
    help = "Upsert sectors, trades and regions by code from the nomenclature and regions CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--nomenclature", type=Path, default=NOMENCLATURE_CSV)
        parser.add_argument("--regions", type=Path, default=REGIONS_CSV)

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            summary = load_reference_data(
                sector_model=Sector,
                trade_model=Trade,
                region_model=Region,
                nomenclature_path=options["nomenclature"],
                regions_path=options["regions"],
            )
        self.stdout.write(
            f"{summary.sectors} sectors, {summary.trades} trades, {summary.regions} regions "
            f"loaded; {summary.deactivated_trades} trade(s) no longer listed were deactivated."
        )
