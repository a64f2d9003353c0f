"""The small policies a checkout composes: shipping zone and price, commission rate.

Each is one function over reference tables staff maintain. The shipping quote is a flat price
per parcel and zone until the shipping service (its own issue) quotes by weight and size; it
then replaces `quote_shipping` and nothing else here changes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from souk.core.money import Money
from souk.orders.addresses import EU_COUNTRIES
from souk.orders.errors import ShippingUnavailable
from souk.orders.models import ORDER_CURRENCY, CommissionRate, FlatShippingRate, ShippingZone


def zone_for_country(country: str) -> ShippingZone:
    if country == "MA":
        return ShippingZone.MOROCCO
    if country in EU_COUNTRIES:
        return ShippingZone.EUROPEAN_UNION
    if country == "US":
        return ShippingZone.UNITED_STATES
    return ShippingZone.REST_OF_WORLD


@dataclass(frozen=True, slots=True)
class ShippingQuote:
    zone: ShippingZone
    price: Money
    days_min: int
    days_max: int


def quote_shipping(*, country: str) -> ShippingQuote:
    """The price and delivery time of one parcel from Morocco to `country`."""
    zone = zone_for_country(country)
    rate = FlatShippingRate.objects.filter(zone=zone).first()
    if rate is None:
        raise ShippingUnavailable(detail={"zone": zone.value})
    return ShippingQuote(
        zone=zone,
        price=Money(rate.amount, ORDER_CURRENCY),
        days_min=rate.days_min,
        days_max=rate.days_max,
    )


def commission_rate(*, sector_code: str, is_cooperative: bool, on: datetime.date) -> Decimal:
    """The rate in force on `on`: the sector's own latest rate, else the all-sectors one; a
    cooperative pays the rate's cooperative rate when one is set. No rate at all is zero."""
    rates = CommissionRate.objects.filter(
        Q(sector_id=sector_code) | Q(sector__isnull=True), effective_from__lte=on
    ).order_by("sector_id", "-effective_from")
    # A sector's own rate wins over the default whatever their dates.
    chosen = next((rate for rate in rates if rate.sector_id == sector_code), None)
    if chosen is None:
        chosen = next(iter(rates), None)
    if chosen is None:
        return Decimal(0)
    if is_cooperative and chosen.cooperative_rate is not None:
        return chosen.cooperative_rate
    return chosen.rate


def commission_on(amount: Money, rate: Decimal) -> Money:
    """The commission on a line: the rate times its amount, rounded half-up to the centime."""
    return amount.multiply(rate)
