"""The nightly eligibility of every approved shop for every published offer, by chunks.

One shop at a time would read each shop's figures with its own queries; here a chunk of shops
(ordered by id) is read with four queries — the shops with their register entries, their
trades' sectors, their monthly figures of the last 12 months — evaluated in Python with the
same `eligibility.evaluate` as the page, and its verdicts written with one prepared statement
(replacing the chunk's earlier ones), all in one transaction. A chunk that fails is recorded
by `core.batch` (named by its first shop id) and tried again the next night; the others are
kept.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from souk.banking import eligibility, selectors
from souk.banking.models import Eligibility, MonthlyFigures, Offer
from souk.core import batch
from souk.core.bulk import BulkWriter
from souk.shops.models import Shop, ShopStatus

CHUNK_SIZE = 2_000


@dataclass(frozen=True, slots=True)
class ShopFigures:
    """The figures the rules read, for one shop (eligibility.RuleFigures)."""

    months_with_sales: int = 0
    sales_12m_amount: int = 0
    orders_12m: int = 0
    refund_rate_12m_percent: Decimal = Decimal("0.0")


def _figures(shop_ids: list[int], today: datetime.date) -> dict[int, ShopFigures]:
    months = selectors.last_months(selectors.MONTHS_SHOWN, today=today)
    year_start = months[-12]
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    rows = MonthlyFigures.objects.filter(shop_id__in=shop_ids, month__gte=months[0]).values_list(
        "shop_id", "month", "sales_amount", "orders_count", "refunds_amount"
    )
    for shop_id, month, sales, orders, refunds in rows:
        total = totals[shop_id]
        total[0] += 1 if sales > 0 else 0
        if month >= year_start:
            total[1] += sales
            total[2] += orders
            total[3] += refunds
    return {
        shop_id: ShopFigures(
            months_with_sales=with_sales,
            sales_12m_amount=sales,
            orders_12m=orders,
            refund_rate_12m_percent=selectors.percent(refunds, sales),
        )
        for shop_id, (with_sales, sales, orders, refunds) in totals.items()
    }


def evaluate_chunk(*, shop_ids: list[int], offers: list[Offer], today: datetime.date) -> int:
    """Evaluate and keep the verdicts of `shop_ids` (approved shops) for `offers`."""
    shops = list(
        Shop.objects.filter(pk__in=shop_ids, status=ShopStatus.APPROVED).select_related(
            "register_entry", "register_entry__trade"
        )
    )
    sectors: dict[int, set[str]] = defaultdict(set)
    for shop_id, sector in Shop.trades.through.objects.filter(shop_id__in=shop_ids).values_list(
        "shop_id", "trade__sector_id"
    ):
        sectors[shop_id].add(sector)
    figures = _figures(shop_ids, today)
    nothing = ShopFigures()
    now = timezone.now()
    verdicts = []
    for shop in shops:
        facts = eligibility.get_shop_facts(shop, trade_sectors=sectors[shop.pk])
        money = figures.get(shop.pk, nothing)
        for offer in offers:
            missing = eligibility.evaluate(offer, money, facts)
            verdicts.append(
                {
                    "shop_id": shop.pk,
                    "offer_id": offer.pk,
                    "is_eligible": not missing,
                    "missing": [m.as_data() for m in missing],
                    "computed_at": now,
                }
            )
    # The chunk's verdicts replace its earlier ones in one transaction: one prepared INSERT
    # (core.bulk) instead of the ORM compiling 40,000 rows; no reader sees a shop without them.
    with transaction.atomic():
        Eligibility.objects.filter(shop_id__in=[shop.pk for shop in shops]).delete()
        BulkWriter(Eligibility).insert(verdicts)
    return len(shops)


def compute_all_eligibility(*, chunk_size: int = CHUNK_SIZE) -> batch.BatchResult:
    """The nightly batch: every approved shop against every published offer."""
    today = timezone.localdate()
    offers = list(selectors.list_published_offers(today=today))
    ids = list(
        Shop.objects.filter(status=ShopStatus.APPROVED).order_by("pk").values_list("pk", flat=True)
    )
    chunks = {
        ids[start]: ids[start : start + chunk_size] for start in range(0, len(ids), chunk_size)
    }

    def handle(first_id: int) -> bool:
        return evaluate_chunk(shop_ids=chunks[first_id], offers=offers, today=today) > 0

    return batch.for_each("banking.compute_eligibility", list(chunks), handle)
