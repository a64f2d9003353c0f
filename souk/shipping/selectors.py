"""Reads of shipping: carriers, what a listing can reach, a shop's free shipping."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from souk.catalog.models import Product
from souk.core.money import Money
from souk.shipping import delivery, quotes
from souk.shipping.models import Carrier, CarrierRate, FreeShippingThreshold, ShippingZone
from souk.shops.models import Shop

REACH_RULES_KEY = "shipping:reach-rules"


def get_carrier(*, code: str) -> Carrier | None:
    return Carrier.objects.filter(code=code).first() if code else None


@dataclass(frozen=True, slots=True)
class Reach:
    """Where one piece of a listing can be sent, zone by zone."""

    reachable: list[ShippingZone]
    unreachable: list[ShippingZone]


@dataclass(frozen=True, slots=True)
class ReachRules:
    """The active carriers with the zones each has rates for: what a listing's reach depends
    on besides its own size, read once for many listings (the search indexes batches)."""

    zones_by_carrier: tuple[tuple[Carrier, frozenset[str]], ...]

    def reachable_zones(
        self,
        *,
        weight_grams: int | None,
        length_mm: int | None,
        width_mm: int | None,
        height_mm: int | None,
    ) -> frozenset[str]:
        """The zone codes some carrier can take one piece of this size to."""
        piece = quotes.Piece.of(
            weight_grams=weight_grams, length_mm=length_mm, width_mm=width_mm, height_mm=height_mm
        )
        return frozenset(
            zone
            for carrier, zones in self.zones_by_carrier
            if piece.fits(carrier)
            for zone in zones
        )


def get_reach_rules() -> ReachRules:
    carriers = {carrier.pk: carrier for carrier in Carrier.objects.filter(is_active=True)}
    zones: dict[int, set[str]] = {}
    for carrier_id, zone in CarrierRate.objects.values_list("carrier_id", "zone").distinct():
        if carrier_id in carriers:
            zones.setdefault(carrier_id, set()).add(zone)
    return ReachRules(
        zones_by_carrier=tuple(
            (carrier, frozenset(zones[carrier_id]))
            for carrier_id, carrier in sorted(carriers.items())
            if carrier_id in zones
        )
    )


def get_zone_for_country(country: str) -> ShippingZone:
    """The zone carriers price a parcel to `country` (ISO code) in."""
    return quotes.zone_for_country(country)


def get_reach(product: Product) -> Reach:
    """The zones some carrier can take one piece of `product` to (weight and size limits).
    The rules are the same for every listing: kept for delivery.CACHE_SECONDS, as the rate
    cards of the delivery line are."""
    rules: ReachRules | None = cache.get(REACH_RULES_KEY)
    if rules is None:
        rules = get_reach_rules()
        cache.set(REACH_RULES_KEY, rules, delivery.CACHE_SECONDS)
    reachable = rules.reachable_zones(
        weight_grams=product.weight_grams,
        length_mm=product.length_mm,
        width_mm=product.width_mm,
        height_mm=product.height_mm,
    )
    return Reach(
        reachable=[zone for zone in ShippingZone if zone in reachable],
        unreachable=[zone for zone in ShippingZone if zone not in reachable],
    )


def get_delivery_listing(product: Product) -> delivery.DeliveryListing:
    """What the product page's delivery line reads of the listing (its live part's argument)."""
    return delivery.DeliveryListing.of(product)


def get_free_shipping(shop: Shop) -> dict[str, Money]:
    """The shop's free-shipping thresholds by zone code."""
    return {
        zone: Money(amount, "MAD")
        for zone, amount in FreeShippingThreshold.objects.filter(shop=shop).values_list(
            "zone", "threshold_amount"
        )
    }
