"""Rebuild the monthly figures of shops from their ledger transfers (after a restore, or to
prove the kept figures right: the output says which shops' rows changed)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from souk.banking import rollups
from souk.banking.models import MonthlyFigures
from souk.shops.models import Shop


def _rows(shop_id: int) -> list[tuple[Any, ...]]:
    return list(
        MonthlyFigures.objects.filter(shop_id=shop_id)
        .order_by("month")
        .values_list(
            "month",
            "sales_amount",
            "orders_count",
            "abroad_sales_amount",
            "refunds_amount",
            "commission_amount",
            "payouts_amount",
            "payouts_count",
        )
    )


class Command(BaseCommand):
    help = "Rebuild banking's monthly figures from the ledger's transfers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", type=int, help="only this shop (its id)")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = [options["shop"]] if options["shop"] else Shop.objects.values_list("pk", flat=True)
        changed = 0
        for shop_id in ids:
            before = _rows(shop_id)
            rollups.rebuild_shop(shop_id=shop_id)
            if _rows(shop_id) != before:
                changed += 1
                self.stdout.write(f"shop {shop_id}: figures differed and were rebuilt")
        self.stdout.write(f"shops whose figures changed: {changed}")
