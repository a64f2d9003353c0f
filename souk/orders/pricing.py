"""The small policies a checkout composes: shipping zone and price, commission rate.

Each is one function over reference tables staff maintain: the shipping quote asks the shipping
app's carriers (souk/shipping/quotes.py), the commission reads the dated commission table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BigIntegerField, Expression, ExpressionWrapper, F, Q, Value

from souk.catalog.models import Product, ProductVariant
from souk.core.money import Money
from souk.orders.models import CommissionRate
from souk.shipping import quotes
from souk.shipping.models import ShippingZone


@dataclass(frozen=True, slots=True)
class ShippingQuote:
    """The shipping of one parcel (sub-order): the carrier chosen, its price, the options."""

    zone: ShippingZone
    price: Money
    days_min: int
    days_max: int
    carrier_code: str
    carrier_name: str
    options: tuple[quotes.ShippingOption, ...]


# (product, variant or None, quantity): one line of a parcel.
ParcelLine = tuple[Product, ProductVariant | None, int]


def pieces_of(lines: Iterable[ParcelLine]) -> list[quotes.Piece]:
    """Every unit of every line, as it will travel: a variant's own weight and dimensions when
    it has them, else the product's."""
    pieces = []
    for product, variant, quantity in lines:
        if variant is not None:
            length_mm, width_mm, height_mm = variant.shipped_dimensions_mm
            weight_grams = variant.shipped_weight_grams
        else:
            length_mm, width_mm, height_mm = product.length_mm, product.width_mm, product.height_mm
            weight_grams = product.weight_grams
        piece = quotes.Piece.of(
            weight_grams=weight_grams, length_mm=length_mm, width_mm=width_mm, height_mm=height_mm
        )
        pieces.extend([piece] * quantity)
    return pieces


def quote_shipping(
    *,
    shop_id: int,
    lines: Iterable[ParcelLine],
    country: str,
    works_value: Money,
    carrier_code: str = "",
) -> ShippingQuote:
    """The shipping of a shop's parcel to `country`: the carrier asked for if it can take it,
    else the cheapest. Raises quotes.NoCarrier when none can."""
    options = quotes.quote(
        pieces=pieces_of(lines), country=country, shop_id=shop_id, works_value=works_value
    )
    if not options:
        raise quotes.NoCarrier(detail={"country": country, "shop": shop_id})
    chosen = next((o for o in options if o.carrier.code == carrier_code), options[0])
    return ShippingQuote(
        zone=chosen.zone,
        price=chosen.price,
        days_min=chosen.days_min,
        days_max=chosen.days_max,
        carrier_code=chosen.carrier.code,
        carrier_name=chosen.carrier.name,
        options=tuple(options),
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


def commission_due(*, commission: Money, total: int, kept: int) -> Money:
    """The commission due on a parcel whose buyer finally paid `kept` of its `total` (minor
    units): the commission's share of what was kept, as Money.allocate splits it (exact share
    rounded half-up; ties to the kept part). Zero when nothing was kept, all of it when nothing
    was refunded. Never decreases as `kept` grows, so giving back
    `commission_due(kept before) - commission_due(kept after)` on each refund leaves, over the
    parcel's life, exactly the commission due on what was kept (docs/ledger.md, "Commission").
    commission_due_sql is the same rule in SQL, for ledger_check."""
    if kept <= 0 or total <= 0:
        return Money.zero(commission.currency)
    return commission.allocate([kept, total - kept])[0]


def commission_due_sql(*, commission: str, total: str, refunded: str) -> Expression:
    """commission_due over a parcel's columns (kept = total - refunded), for ledger_check:
    (2 * commission * kept + total) // (2 * total), the same half-up share for total > 0
    (whole numbers, so both databases divide exactly as Python's //)."""
    kept = F(total) - F(refunded)
    return ExpressionWrapper(
        (Value(2) * F(commission) * kept + F(total)) / (Value(2) * F(total)),
        output_field=BigIntegerField(),
    )
