"""Parcels on their way and delivered, through the real services (orders, fulfilment, carrier)."""

from __future__ import annotations

import datetime
from itertools import count
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation

from souk.accounts.models import User
from souk.fulfilment import services as fulfilment
from souk.fulfilment.models import Shipment
from souk.orders import services as orders
from souk.orders.models import SubOrder
from souk.orders.tests.factories import make_paid_order
from souk.reviews import services
from souk.reviews.models import Review
from souk.shops.tests.factories import owner_of

_events = count(1)


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def carrier_says(parcel: SubOrder, status: str) -> None:
    shipment = Shipment.objects.get(sub_order=parcel)
    fulfilment.apply_tracking(
        fulfilment.TrackingUpdate(
            tracking_number=shipment.tracking_number,
            event_id=f"e{next(_events)}",
            status=status,
            happened_at=timezone.now() - datetime.timedelta(minutes=1),
        )
    )


def parcel_in_transit(**order_options: Any) -> SubOrder:
    parcel = make_paid_order(country="FR", **order_options).sub_orders.get()
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    Shipment.objects.filter(sub_order=parcel).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    carrier_says(parcel, "in_transit")
    return SubOrder.objects.get(pk=parcel.pk)


def delivered_parcel(**order_options: Any) -> SubOrder:
    parcel = parcel_in_transit(**order_options)
    carrier_says(parcel, "delivered")
    return SubOrder.objects.get(pk=parcel.pk)


def buyer_of(parcel: SubOrder) -> User:
    return parcel.order.buyer


def reviewed(parcel: SubOrder, *, stars: int = 5, body: str = "", language: str = "fr") -> Review:
    return services.write_review(
        order_line_id=parcel.lines.get().pk,
        buyer=buyer_of(parcel),
        stars=stars,
        body=body,
        language=language,
    )
