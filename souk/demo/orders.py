"""Demo data for buying: reference exchange rates, and how to try an order in `make run`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from souk.core.models import ExchangeRate
from souk.shops.models import MemberRole, ShopMember

# Indicative MAD per unit, close to the central bank's reference rates of late 2026.
DEMO_RATES = {"EUR": Decimal("10.8500"), "USD": Decimal("9.9500")}


def seed() -> list[str]:
    """Rates for the last week (so prices show in EUR and USD); lines telling what to try."""
    today = timezone.localdate()
    for days_ago in range(7):
        day = today - datetime.timedelta(days=days_ago)
        for currency, rate in DEMO_RATES.items():
            ExchangeRate.objects.get_or_create(
                date=day, currency=currency, defaults={"mad_per_unit": rate, "source": "demo"}
            )
    shops = {
        member.user.email: member.shop.display_name
        for member in ShopMember.objects.filter(
            user__email__in=["artisan@souk.example", "shop01@souk.example"],
            role=MemberRole.MANAGER,
        ).select_related("user", "shop")
    }
    return [
        "",
        "Try an order: as buyer@souk.example, put a work of "
        f"'{shops.get('artisan@souk.example', '')}' (artisan@souk.example) and one of "
        f"'{shops.get('shop01@souk.example', '')}' (shop01@souk.example) in the cart;",
        "  pay with the sandbox card 4000 0000 0000 0010; accept and ship each parcel as its",
        "  artisan at /en/orders/sales/; confirm receipt as the buyer at /en/orders/.",
    ]
