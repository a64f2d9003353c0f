"""The sandbox carrier: its events fall due with time, and reach the real tracking webhook."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from souk.fulfilment.tests.test_tracking import shipped_parcel
from souk.orders.models import SubOrderStatus
from souk.sandbox import carrier

pytestmark = pytest.mark.django_db


def test_the_sandbox_carrier_sends_its_events_when_due() -> None:
    parcel = shipped_parcel()
    created = parcel.shipment.created_at
    later_by = datetime.timedelta(minutes=5)

    assert carrier.due_events(parcel.shipment, created) == []
    later = carrier.due_events(parcel.shipment, created + datetime.timedelta(minutes=5))
    assert [e["status"] for e in later] == ["in_transit", "out_for_delivery", "delivered"]
    unlucky = shipped_parcel(tracking_number="SK123456700MA").shipment
    assert [e["status"] for e in carrier.due_events(unlucky, unlucky.created_at + later_by)] == [
        "in_transit",
        "returned",
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_the_sandbox_carrier_delivers_through_the_real_webhook(live_server, settings) -> None:
    settings.SOUK_SITE_URL = live_server.url
    parcel = shipped_parcel()

    sent = carrier.advance_parcels(now=timezone.now() + datetime.timedelta(minutes=5))

    assert sent == 3
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.DELIVERED
