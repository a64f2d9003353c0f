"""The sandbox carrier: moves the parcels of `make run` along by calling Souk's own tracking
webhook over HTTP, signed like a real carrier (never enabled unless SOUK_SANDBOX): one request
per carrier, to that carrier's address, signed with the sandbox's secret for that carrier
(souk/sandbox/keys.py, never the settings), in the protocol of souk/fulfilment/webhook.py.

A parcel is in transit SANDBOX_IN_TRANSIT_AFTER after its shipment is created, out for
delivery SANDBOX_OUT_FOR_DELIVERY_AFTER and delivered SANDBOX_DELIVERED_AFTER after; a
tracking number ending in "00" is returned to sender instead, so every outcome can be shown.
"""

from __future__ import annotations

import datetime
import json
import urllib.request

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from souk.core import batch
from souk.fulfilment import webhook
from souk.fulfilment.models import Shipment, ShipmentStatus
from souk.sandbox import keys

SANDBOX_IN_TRANSIT_AFTER = datetime.timedelta(minutes=1)
SANDBOX_OUT_FOR_DELIVERY_AFTER = datetime.timedelta(minutes=2)
SANDBOX_DELIVERED_AFTER = datetime.timedelta(minutes=3)
TIMEOUT_SECONDS = 10


def due_events(shipment: Shipment, now: datetime.datetime) -> list[dict[str, str]]:
    """The events the carrier would have reported by `now` for this shipment."""
    events = []
    age = now - shipment.created_at
    steps = [(SANDBOX_IN_TRANSIT_AFTER, ShipmentStatus.IN_TRANSIT, "Casablanca CTN")]
    final = (
        ShipmentStatus.RETURNED
        if shipment.tracking_number.endswith("00MA")
        else ShipmentStatus.DELIVERED
    )
    if final == ShipmentStatus.DELIVERED:
        steps.append((SANDBOX_OUT_FOR_DELIVERY_AFTER, ShipmentStatus.OUT_FOR_DELIVERY, ""))
    steps.append((SANDBOX_DELIVERED_AFTER, final, shipment.destination_country))
    for after, status, location in steps:
        if age >= after:
            events.append(
                {
                    "tracking_number": shipment.tracking_number,
                    "event_id": f"sandbox-{shipment.tracking_number}-{status}",
                    "status": str(status),
                    "happened_at": (shipment.created_at + after).isoformat(),
                    "location": location,
                    "description": "",
                }
            )
    return events


def advance_parcels(*, now: datetime.datetime | None = None) -> int:
    """Post the due events of every open shipment to the tracking webhook; how many were sent."""
    if not settings.SOUK_SANDBOX:
        return 0
    moment = now or timezone.now()
    events_by_carrier: dict[str, list[dict[str, str]]] = {}
    for shipment in Shipment.objects.filter(
        status__in=[
            ShipmentStatus.CREATED,
            ShipmentStatus.IN_TRANSIT,
            ShipmentStatus.OUT_FOR_DELIVERY,
        ],
        carrier__code__in=keys.CARRIER_CODES,
    ).select_related("carrier"):
        due = due_events(shipment, moment)
        if due:
            events_by_carrier.setdefault(shipment.carrier.code, []).extend(due)

    def send(carrier_code: str) -> bool:
        send_events(carrier_code, events_by_carrier[carrier_code])
        return True

    # Posted to our own webhook, which writes in its own transactions: none is held here.
    batch.for_each(
        "shipping.advance_sandbox_parcels", sorted(events_by_carrier), send, atomic=False
    )
    return sum(len(events) for events in events_by_carrier.values())


def send_events(carrier_code: str, events: list[dict[str, str]]) -> None:
    """POST one carrier's events, signed now with the sandbox's secret for that carrier."""
    body = json.dumps({"events": events}).encode()
    signature = webhook.sign(body, secret=keys.carrier_secret(carrier_code))
    request = urllib.request.Request(  # noqa: S310  # our own configured site URL
        settings.SOUK_SITE_URL + reverse("shipping_webhooks:tracking", args=[carrier_code]),
        data=body,
        headers={"Content-Type": "application/json", webhook.SIGNATURE_HEADER: signature},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310  # as above
        response.read()
