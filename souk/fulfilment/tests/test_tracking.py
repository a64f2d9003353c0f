"""Shipments and tracking: created when the artisan ships, moved by the carrier's signed
webhook or a CSV, each event once, never backwards."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from souk.core import signatures
from souk.fulfilment import services as fulfilment
from souk.fulfilment.models import ExportLine, Shipment, ShipmentStatus, TrackingEvent
from souk.fulfilment.webhook import carrier_secrets
from souk.orders import services as orders
from souk.orders.models import SubOrder, SubOrderStatus
from souk.orders.tests.factories import make_paid_order
from souk.shops.tests.factories import make_moderator, owner_of

pytestmark = pytest.mark.django_db
CARRIER = "amana-international"
WEBHOOK = f"/shipping/tracking/{CARRIER}/"


def shipped_parcel(country: str = "FR", tracking_number: str = "SK123456789MA") -> SubOrder:
    """A paid parcel the artisan shipped yesterday; its tracking number fixed (the sandbox
    carrier returns numbers ending in 00MA to sender, and the tests should not depend on
    chance)."""
    parcel = make_paid_order(country=country).sub_orders.get()
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    # Shipped yesterday: the carrier's events of the tests (hours after) are in the past.
    Shipment.objects.filter(sub_order=parcel).update(
        tracking_number=tracking_number, created_at=timezone.now() - datetime.timedelta(days=1)
    )
    SubOrder.objects.filter(pk=parcel.pk).update(tracking_number=tracking_number)
    return SubOrder.objects.select_related("shipment").get(pk=parcel.pk)


def signature_of(body: bytes, carrier: str = CARRIER) -> str:
    """The header a carrier sends now, signed with its current secret."""
    return signatures.sign(body, secret=carrier_secrets(carrier)[0])


def post_events(client, *events: dict[str, str], signature: str | None = None, url: str = WEBHOOK):
    body = json.dumps({"events": list(events)}).encode()
    return client.post(
        url,
        body,
        content_type="application/json",
        headers={"X-Carrier-Signature": signature or signature_of(body)},
    )


def event(parcel: SubOrder, status: str, minutes: int, event_id: str = "") -> dict[str, str]:
    moment = parcel.shipment.created_at + datetime.timedelta(minutes=minutes)
    return {
        "tracking_number": parcel.shipment.tracking_number,
        "event_id": event_id or f"{status}-{minutes}",
        "status": status,
        "happened_at": moment.isoformat(),
        "location": "Casablanca",
    }


def test_shipping_a_parcel_abroad_creates_its_shipment_with_customs_and_export_lines() -> None:
    parcel = shipped_parcel("US")
    shipment = parcel.shipment

    assert parcel.status == SubOrderStatus.SHIPPED
    assert parcel.tracking_number == shipment.tracking_number
    assert shipment.carrier.code == "amana-international"
    assert shipment.destination_country == "US"
    # 450 MAD of works: under 300 SDR, a CN22.
    assert shipment.customs_form == "CN22"
    [line] = ExportLine.objects.filter(shipment=shipment)
    assert (line.destination_country, line.hs_code, line.declared_value_amount) == (
        "US",
        parcel.lines.get().hs_code,
        45_000,
    )


def test_a_parcel_worth_more_than_300_sdr_gets_a_cn23(settings) -> None:
    settings.SOUK_CN22_LIMIT_AMOUNT = 40_000
    assert shipped_parcel("FR").shipment.customs_form == "CN23"


def test_a_domestic_shipment_has_no_customs_form() -> None:
    parcel = shipped_parcel("MA")
    assert parcel.shipment.customs_form == ""
    assert not ExportLine.objects.exists()


def test_the_webhook_moves_the_parcel_to_delivered_once(client) -> None:
    parcel = shipped_parcel()

    first = post_events(client, event(parcel, "in_transit", 60))
    post_events(client, event(parcel, "delivered", 120))
    again = post_events(client, event(parcel, "delivered", 120))

    assert first.json() == {"applied": 1, "duplicates": 0, "unknown": []}
    assert again.json() == {"applied": 0, "duplicates": 1, "unknown": []}
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.DELIVERED
    assert Shipment.objects.get(pk=parcel.shipment.pk).status == ShipmentStatus.DELIVERED
    assert TrackingEvent.objects.filter(shipment=parcel.shipment).count() == 2
    assert [e.action for e in parcel.events.all()][-2:] == ["in_transit", "deliver"]


def test_an_older_event_arriving_late_does_not_move_the_parcel_back(client) -> None:
    parcel = shipped_parcel()
    post_events(client, event(parcel, "delivered", 120))

    post_events(client, event(parcel, "in_transit", 60))

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.DELIVERED
    assert TrackingEvent.objects.filter(shipment=parcel.shipment).count() == 2  # kept as history


def test_a_forged_webhook_changes_nothing(client) -> None:
    parcel = shipped_parcel()

    response = post_events(client, event(parcel, "delivered", 120), signature="0" * 64)

    assert response.status_code == 403
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.SHIPPED
    assert not TrackingEvent.objects.exists()


def test_a_malformed_webhook_is_refused(client) -> None:
    body = b'{"events": [{"tracking_number": "X"}]}'
    response = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={"X-Carrier-Signature": signature_of(body)},
    )
    assert response.status_code == 400


def test_lost_and_returned_parcels_can_be_refunded_by_a_moderator(client) -> None:
    lost = shipped_parcel()
    post_events(client, event(lost, "lost", 300))
    lost.refresh_from_db()
    assert lost.status == SubOrderStatus.LOST

    # A second moderator approves: the parcel is above SOUK_REFUND_APPROVAL_ABOVE (four eyes).
    orders.force_refund(
        sub_order=lost,
        moderator=make_moderator(),
        reason="Lost by Amana.",
        approved_by=make_moderator(),
    )

    lost.refresh_from_db()
    assert lost.status == SubOrderStatus.REFUNDED
    assert lost.refunded_amount == lost.total_amount


def test_the_tracking_csv_applies_each_event_once_and_reports_bad_lines(tmp_path) -> None:
    parcel = shipped_parcel()
    number = parcel.shipment.tracking_number
    when = (parcel.shipment.created_at + datetime.timedelta(hours=2)).isoformat()
    path = tmp_path / "tracking.csv"
    path.write_text(
        "tracking_number,event_id,status,happened_at,location\n"
        f"{number},E1,in_transit,{when},Casablanca\n"
        f"{number},E1,in_transit,{when},Casablanca\n"
        f"UNKNOWN1,E2,delivered,{when},Paris\n"
        f"{number},E3,teleported,{when},Mars\n",
        encoding="utf-8",
    )
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_tracking", str(path), stdout=out, stderr=err)

    assert "Applied 1, already known 1, rejected 2." in out.getvalue()
    assert "line 4:" in err.getvalue()
    assert "line 5:" in err.getvalue()
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.IN_TRANSIT


def test_documents_are_for_the_buyer_the_artisan_and_moderators_only(client) -> None:
    parcel = shipped_parcel("US")
    number = parcel.shipment.tracking_number
    urls = [
        reverse("fulfilment:label", args=[number]),
        reverse("fulfilment:customs", args=[number]),
        reverse("fulfilment:invoice", args=[number]),
    ]
    client.force_login(owner_of(parcel.shop))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    client.force_login(owner_of(make_paid_order().sub_orders.get().shop))
    for url in urls:
        assert client.get(url).status_code == 404
