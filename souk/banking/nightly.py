"""The nightly eligibility of every approved shop for every published offer, set-based.

Shops are taken in chunks of consecutive ids. Per chunk, four reads: the shops with what the
rules read of their register entries (plain values, no model instances), their trades'
sectors, their kept monthly figures already summed per shop by the database (one grouped
query over the last 24 months), and the digests of their kept verdicts. Each shop gets one
row (`ShopEligibility`: {offer id: what is missing}); the rules on who the shop is are
evaluated once per distinct set of facts and offer, the money rules per shop with
`eligibility.money_missing_data`, the same code as the page's `evaluate`. Only the rows whose
digest changed are written (one prepared INSERT for new shops, one prepared UPDATE for the
changed ones), in the chunk's transaction. A chunk that fails is recorded by `core.batch`
(named by its first shop id) and tried again the next night; the others are kept.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, When
from django.utils import timezone

from souk.banking import eligibility, selectors
from souk.banking.models import MonthlyFigures, Offer, ShopEligibility
from souk.core import batch
from souk.core.bulk import BulkWriter
from souk.registry.models import PERSON_CATEGORIES, EntryStatus
from souk.shops.models import Shop, ShopStatus

CHUNK_SIZE = 10_000
Figures = tuple[int, int, int, int]
NO_FIGURES: Figures = (0, 0, 0, 0)


def _figures(first: int, last: int, today: datetime.date) -> dict[int, Figures]:
    """(months with sales of the last 24, sales, orders and refunds of the last 12) per shop."""
    months = selectors.last_months(selectors.MONTHS_SHOWN, today=today)
    this_year = Q(month__gte=months[-12])

    def last_12(field: str) -> Sum:
        return Sum(Case(When(this_year, then=field), default=0, output_field=IntegerField()))

    rows = (
        MonthlyFigures.objects.filter(shop_id__gte=first, shop_id__lte=last, month__gte=months[0])
        .values("shop_id")
        .annotate(
            with_sales=Count("pk", filter=Q(sales_amount__gt=0)),
            sales=last_12("sales_amount"),
            orders=last_12("orders_count"),
            refunds=last_12("refunds_amount"),
        )
        .values_list("shop_id", "with_sales", "sales", "orders", "refunds")
    )
    return {
        shop_id: (months_, sales, orders, refunds)
        for shop_id, months_, sales, orders, refunds in rows
    }


def _facts_of_chunk(
    first: int, last: int, now: datetime.datetime
) -> dict[int, eligibility.ShopFacts]:
    """The facts the rules read of each approved shop of the chunk (`get_shop_facts`)."""
    sectors: dict[int, set[str]] = defaultdict(set)
    for shop_id, sector in Shop.trades.through.objects.filter(
        shop_id__gte=first, shop_id__lte=last
    ).values_list("shop_id", "trade__sector_id"):
        sectors[shop_id].add(sector)
    held_since = now - datetime.timedelta(days=settings.SOUK_PAYOUT_HOLD_DAYS)
    rows = Shop.objects.filter(pk__gte=first, pk__lte=last, status=ShopStatus.APPROVED).values_list(
        "pk",
        "region_id",
        "register_entry__category",
        "register_entry__status",
        "register_entry__trade__sector_id",
        "payout_method",
        "payout_destination_changed_at",
    )
    known: dict[tuple[Any, ...], eligibility.ShopFacts] = {}
    facts = {}
    for shop_id, region, category, status, sector, method, changed_at in rows:
        key = (
            frozenset({sector} | sectors[shop_id]),
            region,
            category not in PERSON_CATEGORIES,
            status == EntryStatus.ACTIVE,
            bool(method) and (changed_at is None or changed_at <= held_since),
        )
        if key not in known:
            known[key] = eligibility.ShopFacts(*key)
        facts[shop_id] = known[key]
    return facts


def evaluate_chunk(
    *, first: int, last: int, offers: list[Offer], today: datetime.date
) -> tuple[int, int]:
    """Evaluate the approved shops with ids in [first, last] for `offers` and keep the rows
    that changed; returns (shops evaluated, rows written)."""
    now = timezone.now()
    facts = _facts_of_chunk(first, last, now)
    figures = _figures(first, last, today)
    rules = [(str(offer.pk), eligibility.money_rules(offer)) for offer in offers]
    # The rules on who the shop is give the same answer for the same facts: once per facts.
    who: dict[eligibility.ShopFacts, list[list[dict[str, Any]]]] = {}
    kept = dict(
        ShopEligibility.objects.filter(shop_id__gte=first, shop_id__lte=last).values_list(
            "shop_id", "digest"
        )
    )
    money_missing = eligibility.money_missing_data
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for shop_id, shop_facts in facts.items():
        with_sales, sales, orders, refunds = figures.get(shop_id, NO_FIGURES)
        rate = selectors.percent(refunds, sales)
        by_offer = who.get(shop_facts)
        if by_offer is None:
            by_offer = who[shop_facts] = [
                [m.as_data() for m in eligibility.facts_missing(offer, shop_facts)]
                for offer in offers
            ]
        verdicts = {}
        for (offer_id, money), facts_part in zip(rules, by_offer, strict=True):
            missing = money_missing(money, with_sales, sales, orders, rate)
            verdicts[offer_id] = missing + facts_part if facts_part else missing
        text, digest = eligibility.digest(verdicts)
        previous = kept.get(shop_id)
        if previous == digest:
            continue
        row = {"shop_id": shop_id, "verdicts_json": text, "digest": digest, "changed_at": now}
        (inserts if previous is None else updates).append(row)
    with transaction.atomic():
        BulkWriter(ShopEligibility, with_primary_key=True).insert(inserts)
        BulkWriter(ShopEligibility, update_fields=["verdicts_json", "digest", "changed_at"]).update(
            (row["shop_id"], row) for row in updates
        )
    return len(facts), len(inserts) + len(updates)


def compute_all_eligibility(*, chunk_size: int = CHUNK_SIZE) -> batch.BatchResult:
    """The nightly batch: every approved shop against every published offer."""
    today = timezone.localdate()
    offers = list(selectors.list_published_offers(today=today))
    ids = list(
        Shop.objects.filter(status=ShopStatus.APPROVED).order_by("pk").values_list("pk", flat=True)
    )
    chunks = {
        ids[start]: ids[min(start + chunk_size, len(ids)) - 1]
        for start in range(0, len(ids), chunk_size)
    }

    def handle(first_id: int) -> bool:
        evaluated, _written = evaluate_chunk(
            first=first_id, last=chunks[first_id], offers=offers, today=today
        )
        return evaluated > 0

    return batch.for_each("banking.compute_eligibility", list(chunks), handle)
