"""What a product page says of delivery: the cost and dates of one piece to the visitor's
country, quoted by the same machinery as checkout (quotes.quote), and the country guessed for a
visitor who has not chosen one.

The dates count calendar days from today: the days to make the piece (made to order), the time
the artisan has to accept the order (SOUK_ACCEPT_WITHIN_HOURS, at least a day), then the
carrier's delivery days for the zone (the rate card). The earliest assumes the artisan ships the
next day; the latest that they use all their time to accept.

The page's estimate is kept in the cache for CACHE_SECONDS under everything of the listing it
depends on (so editing the piece shows at once); a new rate card or free-shipping threshold
reaches product pages within that time. Checkout always quotes afresh.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.cache import cache

from souk.catalog.models import Product
from souk.core.addresses import COUNTRY_CODES
from souk.core.money import Money
from souk.shipping import quotes

# The session key holding the country a visitor chose on a product page.
SESSION_KEY = "delivery_country"
# The country guessed from the page's language when the browser names none (docs/decisions.md,
# 2026-12-07): Arabic readers are mostly in Morocco, French ones in France (Moroccans reading in
# French usually send "fr-MA"), English ones in the USA, Spanish ones in Spain.
COUNTRY_BY_LANGUAGE = {"ar": "MA", "fr": "FR", "en": "US", "es": "ES"}
CACHE_SECONDS = 600


@dataclass(frozen=True, slots=True)
class DeliveryListing:
    """What an estimate reads of a listing: small enough to be the argument of the delivery
    line's live part in a kept page (souk.core.pagecache), so rendering the line for a visitor
    reads no listing. A kept page is renewed when any of these changes (its fingerprint holds
    the search index version, which every change of a listing renews)."""

    pk: int
    shop_id: int
    weight_grams: int | None
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    price_amount: int
    is_made_to_order: bool
    lead_time_days: int | None

    @classmethod
    def of(cls, product: Product) -> DeliveryListing:
        return cls(
            pk=product.pk,
            shop_id=product.shop_id,
            weight_grams=product.weight_grams,
            length_mm=product.length_mm,
            width_mm=product.width_mm,
            height_mm=product.height_mm,
            price_amount=product.price_amount,
            is_made_to_order=product.is_made_to_order,
            lead_time_days=product.lead_time_days,
        )


class DeliveryKind(StrEnum):
    PRICED = "priced"
    NOT_SHIPPED = "not_shipped"
    NO_WEIGHT = "no_weight"


@dataclass(frozen=True, slots=True)
class DeliveryEstimate:
    """One piece of a listing sent to `country`: priced (cost and dates), not shipped there
    (no carrier takes it), or not quoted because the artisan has not weighed it."""

    country: str
    kind: DeliveryKind
    price: Money | None = None
    earliest: datetime.date | None = None
    latest: datetime.date | None = None

    @property
    def is_free(self) -> bool:
        return self.price is not None and self.price.is_zero()


def _accept_days() -> int:
    return max(1, math.ceil(int(settings.SOUK_ACCEPT_WITHIN_HOURS) / 24))


def estimate_delivery(
    *, product: Product | DeliveryListing, country: str, today: datetime.date
) -> DeliveryEstimate:
    """The cheapest offer for one piece of `product` to `country`, as checkout would quote it
    (the shop's free shipping included)."""
    if not product.weight_grams:
        return DeliveryEstimate(country=country, kind=DeliveryKind.NO_WEIGHT)
    piece = quotes.Piece.of(
        weight_grams=product.weight_grams,
        length_mm=product.length_mm,
        width_mm=product.width_mm,
        height_mm=product.height_mm,
    )
    options = quotes.quote(
        pieces=[piece],
        country=country,
        shop_id=product.shop_id,
        works_value=Money(product.price_amount, quotes.CURRENCY),
        rate_card=cached_rate_card(quotes.zone_for_country(country)),
    )
    if not options:
        return DeliveryEstimate(country=country, kind=DeliveryKind.NOT_SHIPPED)
    best = options[0]
    making = (product.lead_time_days or 0) if product.is_made_to_order else 0
    return DeliveryEstimate(
        country=country,
        kind=DeliveryKind.PRICED,
        price=best.price,
        earliest=today + datetime.timedelta(days=making + 1 + best.days_min),
        latest=today + datetime.timedelta(days=making + _accept_days() + best.days_max),
    )


def cached_rate_card(zone: str) -> quotes.RateCard:
    """The zone's rate card, kept for CACHE_SECONDS: the same for every listing shown to a
    country, read once rather than with every estimate."""
    key = f"shipping:rate-card:{zone}"
    card: quotes.RateCard | None = cache.get(key)
    if card is None:
        card = quotes.get_rate_card(zone)
        cache.set(key, card, CACHE_SECONDS)
    return card


def cached_estimate(
    *, product: Product | DeliveryListing, country: str, today: datetime.date
) -> DeliveryEstimate:
    """estimate_delivery, kept for CACHE_SECONDS under the listing's shipping facts."""
    key = ":".join(
        str(part)
        for part in (
            "shipping:delivery",
            product.pk,
            country,
            today.isoformat(),
            product.weight_grams,
            product.length_mm,
            product.width_mm,
            product.height_mm,
            product.price_amount,
            product.is_made_to_order,
            product.lead_time_days,
        )
    )
    estimate: DeliveryEstimate | None = cache.get(key)
    if estimate is None:
        estimate = estimate_delivery(product=product, country=country, today=today)
        cache.set(key, estimate, CACHE_SECONDS)
    return estimate


def guess_country(*, language: str, accept_language: str = "") -> str:
    """The visitor's likely country: the region of the browser's first language when it names
    one we ship to ("fr-MA" → MA), else the page language's usual country."""
    first = accept_language.split(",")[0].split(";")[0].strip()
    parts = first.replace("_", "-").split("-")
    if len(parts) >= 2:
        region = parts[-1].upper()
        if len(region) == 2 and region in COUNTRY_CODES:
            return region
    return COUNTRY_BY_LANGUAGE.get(language, COUNTRY_BY_LANGUAGE["fr"])


def is_country(code: str) -> bool:
    return code in COUNTRY_CODES
