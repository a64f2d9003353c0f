"""The carriers' tracking webhook protocol: the signature header, each carrier's secrets,
checking a request's signature and reading its events.

Both ends speak it: the webhook view (fulfilment/views.py) verifies and parses what a carrier
posts, and the sandbox carrier (souk/sandbox/carrier.py) signs and posts like a real one. A body
is `{"events": [{tracking_number, event_id, status, happened_at, location, description}, ...]}`,
signed in the header X-Carrier-Signature `t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">` with
the carrier's own secret (SHIPPING_WEBHOOK_SECRETS); see docs/shipping.md.
"""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.utils.dateparse import parse_datetime

from souk.core import signatures
from souk.fulfilment.models import ShipmentStatus
from souk.fulfilment.services import TrackingUpdate

SIGNATURE_HEADER = "X-Carrier-Signature"


class MalformedEvents(ValueError):
    """The body is not a list of events, or one of them lacks a field or has a wrong value."""


def carrier_secrets(carrier_code: str) -> list[str]:
    """The secrets a carrier may sign with: its current one, and its previous one during a
    change (SHIPPING_WEBHOOK_SECRETS)."""
    configured: dict[str, list[str]] = dict(settings.SHIPPING_WEBHOOK_SECRETS)
    return list(configured.get(carrier_code, []))


def sign(body: bytes, *, secret: str) -> str:
    """The value of SIGNATURE_HEADER for `body`, signed now with `secret`."""
    return signatures.sign(body, secret=secret)


def verify(body: bytes, signature: str, *, carrier_code: str) -> None:
    """Raise signatures.SignatureRefused unless `signature` (the header's value) signs `body`
    with one of the carrier's secrets, within the time window."""
    signatures.verify(body, signature, secrets=carrier_secrets(carrier_code))


def parse_events(body: bytes) -> list[TrackingUpdate]:
    """The events of a webhook body, in order; MalformedEvents if any one cannot be read."""
    try:
        events = json.loads(body)["events"]
        return [
            TrackingUpdate(
                tracking_number=str(event["tracking_number"]),
                event_id=str(event["event_id"]),
                status=ShipmentStatus(event["status"]),
                happened_at=_aware(str(event["happened_at"])),
                location=str(event.get("location", "")),
                description=str(event.get("description", "")),
            )
            for event in events
        ]
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        raise MalformedEvents(str(error)) from error


def _aware(text: str) -> datetime.datetime:
    """An ISO 8601 moment with its offset; ValueError otherwise."""
    moment = parse_datetime(text)
    if moment is None or moment.tzinfo is None:
        raise ValueError(text)
    return moment
