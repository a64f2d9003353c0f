"""Demo: months of sales through the real services (souk.demo.sales), so the money pages and
the support path have history to show (docs/banking.md, docs/support.md).

- The demo artisan (artisan@souk.example) sold twice a month for the last 18 months, to
  Morocco and abroad (France, Spain, the United States), two sales refunded after a return;
  a payout run every quarter paid the shop, the bank reporting it paid the next day. /banking/
  shows 18 months of sales on its 24-month chart and the eligibility computed from them.
- The demo shops shop01...shop30 are spread along the path: some sold once at home (next:
  a sale abroad), some once abroad (next: a payout), some were paid out a month ago (next: a
  repeat buyer, their five pieces being published), some have a repeat buyer (path done);
  the rest has not sold yet. So every advisor's portfolio shows every stage.

Runs before banking's advance (whose share is withheld from releases after it was funded).
Idempotent: a shop that already has a sale is left as it is.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from souk.accounts.models import User
from souk.banking import rollups
from souk.catalog.models import Product, ProductStatus
from souk.demo import sales
from souk.orders.models import SubOrder
from souk.shops.models import MemberRole, ShopMember

MONTHS = 18
# Where each of the demo artisan's sales went, in turn; the refunded sales' numbers.
COUNTRIES = ("MA", "FR", "MA", "US", "MA", "ES", "MA", "FR", "MA")
REFUNDED = frozenset({7, 22})
# A payout run after every third month of sales.
PAYOUT_EVERY = 3
# Demo shops shop01...shop30: which step of the path each is given, by its number modulo 5.
HOME_SALE, SALE_ABROAD, PAID_OUT, REPEAT_BUYER = 1, 2, 3, 4


def _sellable(shop_id: int) -> list[Product]:
    works = Product.objects.filter(shop_id=shop_id, status=ProductStatus.ACTIVE).filter(
        Q(stock_quantity__gt=0) | Q(is_made_to_order=True)
    )
    return list(works.order_by("-is_made_to_order", "pk"))


def _moment(months_ago: int, day: int) -> datetime.datetime:
    """11:00 in Morocco on `day` of the month `months_ago` before this one."""
    today = timezone.localdate()
    month_index = today.year * 12 + today.month - 1 - months_ago
    date = datetime.date(month_index // 12, month_index % 12 + 1, day)
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(date, datetime.time(11), tzinfo=tz)


def _demo_artisan(buyer: User) -> int | None:
    member = (
        ShopMember.objects.filter(user__email="artisan@souk.example", role=MemberRole.MANAGER)
        .select_related("shop", "user")
        .first()
    )
    if member is None or SubOrder.objects.filter(shop=member.shop).exists():
        return None
    shop, artisan = member.shop, member.user
    works = [p for p in _sellable(shop.pk) if p.is_made_to_order] or _sellable(shop.pk)
    if not works:
        return None
    number = 0
    for months_ago in range(MONTHS, 0, -1):
        for day in (5, 18):
            parcel = sales.sell(
                works[number % len(works)],
                buyer=buyer,
                artisan=artisan,
                country=COUNTRIES[number % len(COUNTRIES)],
                refund=number in REFUNDED,
            )
            sales.backdate(parcel, _moment(months_ago, day))
            number += 1
        if months_ago % PAYOUT_EVERY == 1:
            sales.pay_out(
                key=f"demo:history:{months_ago}",
                when=_moment(months_ago, 28),
                shop_ids={shop.pk},
            )
    return shop.pk


def _demo_shops(buyer: User) -> list[int]:
    """Sales of shop01...shop30 by their step; the shops that sold. The shops to be paid out
    sell first, then the run pays them; the others sell after it."""
    members = ShopMember.objects.filter(
        user__email__regex=r"^shop[0-9]+@souk\.example$", role=MemberRole.MANAGER
    ).select_related("shop", "user")
    plans: list[tuple[int, ShopMember, list[Product]]] = []
    for member in members.order_by("shop_id"):
        number = int((member.user.email or "")[4:].split("@")[0])
        works = _sellable(member.shop_id)
        if number % 5 and works and not SubOrder.objects.filter(shop=member.shop).exists():
            plans.append((number, member, works))
    paid_steps = (PAID_OUT, REPEAT_BUYER)
    paid = {member.shop_id for number, member, _works in plans if number % 5 in paid_steps}
    for pay_first in (True, False):
        for number, member, works in plans:
            if (number % 5 in paid_steps) != pay_first:
                continue
            countries = {HOME_SALE: ["MA"], SALE_ABROAD: ["FR"], PAID_OUT: ["US"]}.get(
                number % 5, ["ES", "MA"]
            )
            for index, country in enumerate(countries):
                parcel = sales.sell(
                    works[index % len(works)], buyer=buyer, artisan=member.user, country=country
                )
                sales.backdate(parcel, _moment(2, 3 + number % 20 + index))
        if pay_first and paid:
            sales.pay_out(key="demo:shops", when=_moment(1, 10), shop_ids=paid)
    return [member.shop_id for _number, member, _works in plans]


def seed() -> list[str]:
    buyer = User.objects.get(email="buyer@souk.example")
    artisan_shop = _demo_artisan(buyer)
    shop_ids = _demo_shops(buyer)
    for shop_id in [*shop_ids, *([artisan_shop] if artisan_shop else [])]:
        rollups.rebuild_shop(shop_id=shop_id)
    return [
        "",
        f"Sales history: artisan@souk.example sold twice a month for {MONTHS} months (home and",
        "  abroad, two refunds, a payout each quarter): /fr/banking/; shop01...shop30 are",
        "  spread along the path (advisor@souk.example's /fr/support/portfolio/).",
    ]
