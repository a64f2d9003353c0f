"""The monthly figures of each shop, kept as the ledger posts (docs/banking.md).

`record_entry` hears every `ledger.events.EntryPosted` inside the posting's transaction and adds
the entry's money to its shop's row of that month (`MonthlyFigures`, and `MonthlyCountrySales`
for a sale): the artisan's money page then reads at most 24 rows, however many orders there
were, and the figures commit or roll back with the money. `rebuild_shop` starts a shop's rows
again from its transfers (`manage.py rebuild_banking_rollups`).

What each entry adds (amounts in MAD minor units, the month of the posting):
- `payment_captured`, `cash_collected` (money into the shop's escrow): sales, one order, and
  the sales of the parcel's destination country (abroad when it is not Morocco);
- `refund_before_completion`, `refund_after_completion`: refunds (everything the buyer got
  back, the commission returned included), and the commission returned is taken off commission;
- `sub_order_completed`: commission taken; `commission_corrected`: the correction, either way;
- `payout_created`: one payout and its amount; `payout_returned` takes them back.
Locks: these rows are taken after the ledger accounts, last in the lock order.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from souk.banking.models import MonthlyCountrySales, MonthlyFigures
from souk.ledger import selectors as ledger
from souk.ledger.events import EntryPosted, PostedLeg
from souk.orders.models import SubOrder

CURRENCY = "MAD"
HOME_COUNTRY = "MA"
SALE_CODES = frozenset({"payment_captured", "cash_collected"})
REFUND_CODES = frozenset({"refund_before_completion", "refund_after_completion"})
# Account types as the ledger names them (ledger.models.AccountType values).
ESCROW = "escrow"
COMMISSION = "commission_revenue"


def month_of(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


def _shop_of_owner(owner: str) -> int | None:
    kind, _sep, value = owner.partition(":")
    return int(value) if kind == "shop" and value.isdigit() else None


def _entry_shop(legs: list[PostedLeg]) -> int | None:
    """The shop whose accounts the entry moves; by its parcel when only platform accounts
    moved (a completion whose whole amount was commission)."""
    for leg in legs:
        shop = _shop_of_owner(leg.debit_owner) or _shop_of_owner(leg.credit_owner)
        if shop is not None:
            return shop
    references = {leg.reference_id for leg in legs if leg.reference_type == "sub_order"}
    found = SubOrder.objects.filter(reference__in=references).values_list("shop_id", flat=True)
    return next(iter(found), None)


def _add(model: type[models.Model], keys: dict[str, object], increments: dict[str, int]) -> None:
    """Add `increments` to the row `keys`, creating it when it is the first of its month."""
    increments = {name: value for name, value in increments.items() if value}
    if not increments:
        return
    manager = model._default_manager
    changes = {name: F(name) + value for name, value in increments.items()}
    if manager.filter(**keys).update(**changes):
        return
    try:
        with transaction.atomic():
            manager.create(**keys, **increments)
    except IntegrityError:
        # Another posting created the row between our update and insert.
        manager.filter(**keys).update(**changes)


def record_entry(event: EntryPosted, *, only_shop: int | None = None) -> None:
    """Add one posted entry to the monthly figures (of `only_shop` alone, when rebuilding)."""
    legs = [leg for leg in event.legs if leg.currency == CURRENCY]
    if not legs:
        return
    month = month_of(event.posted_at)
    figures: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    if event.code in SALE_CODES:
        _record_sales(legs, month, figures, only_shop)
    else:
        shop = _entry_shop(legs)
        if shop is None:
            return
        row = figures[shop]
        for leg in legs:
            if event.code in REFUND_CODES:
                row["refunds_amount"] += leg.amount
            if leg.credit_type == COMMISSION:
                row["commission_amount"] += leg.amount
            if leg.debit_type == COMMISSION:
                row["commission_amount"] -= leg.amount
            if event.code == "payout_created":
                row["payouts_amount"] += leg.amount
                row["payouts_count"] += 1
            if event.code == "payout_returned":
                row["payouts_amount"] -= leg.amount
                row["payouts_count"] -= 1
    for shop, increments in figures.items():
        if only_shop is None or shop == only_shop:
            _add(MonthlyFigures, {"shop_id": shop, "month": month}, increments)


def _record_sales(
    legs: list[PostedLeg],
    month: datetime.date,
    figures: dict[int, dict[str, int]],
    only_shop: int | None,
) -> None:
    sales = [
        (shop, leg)
        for leg in legs
        if leg.credit_type == ESCROW
        and (shop := _shop_of_owner(leg.credit_owner)) is not None
        and (only_shop is None or shop == only_shop)
    ]
    if not sales:
        return
    countries = dict(
        SubOrder.objects.filter(
            reference__in=[leg.reference_id for _shop, leg in sales]
        ).values_list("reference", "order__ship_to_country")
    )
    for shop, leg in sales:
        country = countries.get(leg.reference_id, HOME_COUNTRY)
        row = figures[shop]
        row["sales_amount"] += leg.amount
        row["orders_count"] += 1
        if country != HOME_COUNTRY:
            row["abroad_sales_amount"] += leg.amount
        _add(
            MonthlyCountrySales,
            {"shop_id": shop, "month": month, "country": country},
            {"sales_amount": leg.amount, "orders_count": 1},
        )


def rebuild_shop(*, shop_id: int) -> int:
    """Throw away the shop's monthly figures and add up its posted entries again; returns how
    many entries were read. One transaction."""
    with transaction.atomic():
        MonthlyFigures.objects.filter(shop_id=shop_id).delete()
        MonthlyCountrySales.objects.filter(shop_id=shop_id).delete()
        entries = ledger.list_posted_entries_of_shop(shop_id=shop_id)
        for entry in entries:
            record_entry(entry, only_shop=shop_id)
    return len(entries)
