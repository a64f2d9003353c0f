"""Reads of fulfilment: a shipment for the people allowed to see it, a parcel's tracking."""

from __future__ import annotations

from souk.accounts.models import User
from souk.fulfilment.models import Shipment, TrackingEvent
from souk.orders import selectors as orders
from souk.orders.models import SubOrder


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
