"""Reads of the banking app: the artisan's money as a bank reads it, from the monthly figures
the ledger's postings keep (`rollups`), and the offers each person may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from souk.accounts.models import User
from souk.banking.eligibility import Verdict
from souk.banking.models import (
    BankOfficer,
    MonthlyCountrySales,
    MonthlyFigures,
    Offer,
    OfferStatus,
    PartnerBank,
    ShopEligibility,
)
from souk.banking.rollups import month_of
from souk.ledger import accounting
from souk.ledger import selectors as ledger
from souk.shops.models import MemberRole, Shop

MONTHS_SHOWN = 24


def last_months(count: int, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The first day of the `count` calendar months ending with this one, oldest first."""
    month = (today or timezone.localdate()).replace(day=1)
    months = []
    for _index in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def percent(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: datetime.date
    sales_amount: int
    orders_count: int
    refunds_amount: int
    net_amount: int


@dataclass(frozen=True, slots=True)
class CountryShare:
    country: str
    sales_amount: int
    orders_count: int
    share_percent: Decimal


@dataclass(frozen=True, slots=True)
class MoneyProfile:
    """What a bank reads of a shop over the last 24 months (this month included); the last
    12 months feed the eligibility rules. Amounts in MAD minor units."""

    shop_id: int
    months: list[MonthFigures]
    sales_amount: int
    net_amount: int
    orders_count: int
    refunds_amount: int
    refund_rate_percent: Decimal
    abroad_share_percent: Decimal
    countries: list[CountryShare]
    months_with_sales: int
    sales_12m_amount: int
    orders_12m: int
    refund_rate_12m_percent: Decimal
    escrow_amount: int
    payouts_count: int
    average_payout_amount: int | None


def get_money_profile(*, shop_id: int, today: datetime.date | None = None) -> MoneyProfile:
    """The shop's figures from its kept monthly rows: three small queries, whatever the number
    of orders."""
    months = last_months(MONTHS_SHOWN, today=today)
    rows = {
        row.month: row
        for row in MonthlyFigures.objects.filter(shop_id=shop_id, month__gte=months[0])
    }
    shown: list[MonthFigures] = []
    for month in months:
        row = rows.get(month)
        sales = row.sales_amount if row else 0
        refunds = row.refunds_amount if row else 0
        commission = row.commission_amount if row else 0
        shown.append(
            MonthFigures(
                month=month,
                sales_amount=sales,
                orders_count=row.orders_count if row else 0,
                refunds_amount=refunds,
                net_amount=sales - refunds - commission,
            )
        )
    last_year = shown[-12:]
    sales = sum(m.sales_amount for m in shown)
    refunds = sum(m.refunds_amount for m in shown)
    sales_12m = sum(m.sales_amount for m in last_year)
    abroad = sum(row.abroad_sales_amount for row in rows.values())
    payouts = sum(row.payouts_amount for row in rows.values())
    payouts_count = sum(row.payouts_count for row in rows.values())
    by_country = (
        MonthlyCountrySales.objects.filter(shop_id=shop_id, month__gte=months[0])
        .values("country")
        .annotate(sales=Sum("sales_amount"), orders=Sum("orders_count"))
        .order_by("-sales", "country")
    )
    return MoneyProfile(
        shop_id=shop_id,
        months=shown,
        sales_amount=sales,
        net_amount=sum(m.net_amount for m in shown),
        orders_count=sum(m.orders_count for m in shown),
        refunds_amount=refunds,
        refund_rate_percent=percent(refunds, sales),
        abroad_share_percent=percent(abroad, sales),
        countries=[
            CountryShare(c["country"], c["sales"], c["orders"], percent(c["sales"], sales))
            for c in by_country
        ],
        months_with_sales=sum(1 for m in shown if m.sales_amount > 0),
        sales_12m_amount=sales_12m,
        orders_12m=sum(m.orders_count for m in last_year),
        refund_rate_12m_percent=percent(sum(m.refunds_amount for m in last_year), sales_12m),
        escrow_amount=_escrow(shop_id),
        payouts_count=payouts_count,
        average_payout_amount=payouts // payouts_count if payouts_count > 0 else None,
    )


def _escrow(shop_id: int) -> int:
    try:
        return ledger.get_balance(key=accounting.escrow_key(shop_id)).amount
    except ObjectDoesNotExist:
        return 0


def current_month() -> datetime.date:
    return month_of(timezone.now())


# -- who may see what ------------------------------------------------------------------------


def list_managed_shops(*, user: User) -> list[Shop]:
    """The shops whose money `user` may read (as a manager), by name."""
    return list(
        Shop.objects.filter(members__user=user, members__role=MemberRole.MANAGER)
        .select_related("register_entry", "register_entry__trade", "region")
        .distinct()
        .order_by("display_name", "id")
    )


def get_officer_bank(*, user: User) -> PartnerBank:
    """The bank `user` works for; 404 for anyone who is not an officer of an active bank."""
    officer = (
        BankOfficer.objects.select_related("bank").filter(user=user, bank__is_active=True).first()
    )
    if officer is None:
        raise Http404
    return officer.bank


def list_bank_offers(*, bank: PartnerBank) -> QuerySet[Offer]:
    return Offer.objects.filter(bank=bank).order_by("-created_at", "-id")


def get_bank_offer(*, bank: PartnerBank, offer_id: int) -> Offer:
    """One offer of `bank`; 404 for another bank's, so that its existence is not told."""
    offer = Offer.objects.filter(bank=bank, pk=offer_id).select_related("bank").first()
    if offer is None:
        raise Http404
    return offer


def list_offers_awaiting_approval() -> QuerySet[Offer]:
    return Offer.objects.filter(status=OfferStatus.SUBMITTED).select_related("bank")


def get_offer_for_review(*, offer_id: int) -> Offer:
    offer = Offer.objects.filter(pk=offer_id).select_related("bank").first()
    if offer is None:
        raise Http404
    return offer


def list_published_offers(*, today: datetime.date | None = None) -> QuerySet[Offer]:
    """Approved offers of active banks valid today: what artisans see."""
    day = today or timezone.localdate()
    return (
        Offer.objects.filter(status=OfferStatus.APPROVED, bank__is_active=True, valid_from__lte=day)
        .exclude(valid_until__lt=day)
        .select_related("bank")
        .order_by("kind", "bank__name", "id")
    )


def list_eligibilities(*, shop_id: int) -> dict[int, Verdict]:
    """The kept verdicts of the shop, by offer id."""
    row = ShopEligibility.objects.filter(shop_id=shop_id).first()
    if row is None:
        return {}
    return {
        int(offer_id): Verdict(offer_id=int(offer_id), missing=missing)
        for offer_id, missing in row.verdicts.items()
    }
