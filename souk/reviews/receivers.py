"""Reviews hear when a parcel reached its buyer (orders.events) and invite them, once."""

from __future__ import annotations

from souk.core.events import Delivery, subscribe
from souk.orders.events import ParcelReachedBuyer
from souk.reviews import services


def invite_buyer(event: ParcelReachedBuyer) -> None:
    services.invite_to_review(sub_order_id=event.sub_order_id)


def connect() -> None:
    subscribe(ParcelReachedBuyer, invite_buyer, delivery=Delivery.ON_COMMIT)
