"""Reads of shipping: carriers, a shipment for the people allowed to see it, what a listing can
reach, the export statistics."""

from __future__ import annotations

from dataclasses import dataclass

from souk.accounts.models import User
from souk.catalog.models import Product
from souk.core.money import Money
from souk.orders import selectors as orders
from souk.orders.models import ShippingZone, SubOrder
from souk.shipping import quotes
from souk.shipping.models import (
    Carrier,
    CarrierRate,
    FreeShippingThreshold,
    Shipment,
    TrackingEvent,
)
from souk.shops.models import Shop


def get_carrier(*, code: str) -> Carrier | None:
    return Carrier.objects.filter(code=code).first() if code else None


def get_shipment_for(*, user: User, tracking_number: str) -> Shipment:
    """The shipment if `user` is its buyer, a manager of its shop or a moderator; raises
    Shipment.DoesNotExist otherwise."""
    shipment = Shipment.objects.select_related(
        "carrier", "sub_order__order__buyer", "sub_order__shop__register_entry"
    ).get(tracking_number=tracking_number)
    reference = shipment.sub_order.reference
    for finder in (
        orders.get_artisan_sub_order,
        orders.get_buyer_sub_order,
        orders.get_moderated_sub_order,
    ):
        try:
            finder(user=user, reference=reference)
        except SubOrder.DoesNotExist:
            continue
        return shipment
    raise Shipment.DoesNotExist()


def list_tracking_of(sub_order: SubOrder) -> list[TrackingEvent]:
    """The carrier's events for a sub-order's shipment, oldest first (none before shipping)."""
    return list(
        TrackingEvent.objects.filter(shipment__sub_order=sub_order).order_by("happened_at", "id")
    )


@dataclass(frozen=True, slots=True)
class Reach:
    """Where one piece of a listing can be sent, zone by zone."""

    reachable: list[ShippingZone]
    unreachable: list[ShippingZone]


def get_reach(product: Product) -> Reach:
    """The zones some carrier can take one piece of `product` to (weight and size limits)."""
    piece = quotes.Piece.of(
        weight_grams=product.weight_grams,
        length_mm=product.length_mm,
        width_mm=product.width_mm,
        height_mm=product.height_mm,
    )
    carriers = {carrier.pk: carrier for carrier in Carrier.objects.filter(is_active=True)}
    reachable = set()
    for carrier_id, zone in CarrierRate.objects.values_list("carrier_id", "zone").distinct():
        carrier = carriers.get(carrier_id)
        if carrier is not None and piece.fits(carrier):
            reachable.add(zone)
    return Reach(
        reachable=[zone for zone in ShippingZone if zone in reachable],
        unreachable=[zone for zone in ShippingZone if zone not in reachable],
    )


def get_free_shipping(shop: Shop) -> dict[str, Money]:
    """The shop's free-shipping thresholds by zone code."""
    return {
        zone: Money(amount, "MAD")
        for zone, amount in FreeShippingThreshold.objects.filter(shop=shop).values_list(
            "zone", "threshold_amount"
        )
    }
