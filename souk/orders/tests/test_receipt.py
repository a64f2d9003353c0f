""" "I received it": only once the carrier is delivering the parcel (or has delivered it), or
when the carrier has said nothing for a while past the estimated delivery date."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from souk.fulfilment import services as fulfilment
from souk.fulfilment.models import Shipment
from souk.ledger import accounting
from souk.ledger import selectors as ledger
from souk.orders import services as orders
from souk.orders.models import SubOrder, SubOrderStatus
from souk.orders.tests.factories import make_paid_order
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def carrier_says(parcel: SubOrder, status: str, event_id: str) -> None:
    shipment = Shipment.objects.get(sub_order=parcel)
    fulfilment.apply_tracking(
        fulfilment.TrackingUpdate(
            tracking_number=shipment.tracking_number,
            event_id=event_id,
            status=status,
            happened_at=timezone.now() - datetime.timedelta(minutes=1),
        )
    )


def parcel_in_transit() -> SubOrder:
    parcel = make_paid_order(country="FR").sub_orders.get()
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    Shipment.objects.filter(sub_order=parcel).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    carrier_says(parcel, "in_transit", "e1")
    return SubOrder.objects.get(pk=parcel.pk)


def test_a_parcel_in_transit_cannot_be_confirmed_received(client) -> None:
    # given: a parcel the carrier has in transit
    parcel = parcel_in_transit()
    assert parcel.status == SubOrderStatus.IN_TRANSIT
    client.force_login(parcel.order.buyer)
    # when
    page = client.get(url("orders:detail", reference=parcel.order.reference)).content.decode()
    response = client.post(url("orders:confirm_receipt", reference=parcel.reference), follow=True)
    # then: no button, the request is refused with a reason, nothing completed or paid out
    assert "I received it" not in page
    assert "once the carrier is delivering it" in page
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1
    assert "once the carrier is delivering it" in shown[0]
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.IN_TRANSIT
    assert parcel.completed_at is None
    payable = ledger.get_balance(key=accounting.payable_key(parcel.shop_id))
    assert payable.amount == 0


def test_out_for_delivery_lets_the_buyer_confirm(client) -> None:
    # given
    parcel = parcel_in_transit()
    carrier_says(parcel, "out_for_delivery", "e2")
    client.force_login(parcel.order.buyer)
    # when
    page = client.get(url("orders:detail", reference=parcel.order.reference)).content.decode()
    client.post(url("orders:confirm_receipt", reference=parcel.reference))
    # then
    assert "I received it" in page
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.COMPLETED


def test_a_silent_carrier_lets_the_buyer_confirm_after_the_set_time(client, settings) -> None:
    # given: shipped 20 days ago for a delivery in at most 10, 5 days of grace
    settings.SOUK_RECEIPT_AFTER_ESTIMATE_DAYS = 5
    parcel = parcel_in_transit()
    SubOrder.objects.filter(pk=parcel.pk).update(
        shipped_at=timezone.now() - datetime.timedelta(days=20), delivery_days_max=10
    )
    client.force_login(parcel.order.buyer)
    # when
    client.post(url("orders:confirm_receipt", reference=parcel.reference))
    # then
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.COMPLETED
