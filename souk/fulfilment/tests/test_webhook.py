"""The tracking webhook protocol on its own: a body signed by one carrier's secret, and events
read in order or refused whole (fulfilment/webhook.py; over HTTP in test_tracking.py)."""

from __future__ import annotations

import datetime
import json

import pytest

from souk.core import signatures
from souk.fulfilment import webhook


def _body(**event: object) -> bytes:
    fields = {
        "tracking_number": "EE000000001MA",
        "event_id": "e-1",
        "status": "in_transit",
        "happened_at": "2026-11-02T10:00:00+01:00",
    }
    return json.dumps({"events": [{**fields, **event}]}).encode()


def test_a_body_signed_with_the_carriers_secret_is_verified_and_not_another_carriers(settings):
    # given
    settings.SHIPPING_WEBHOOK_SECRETS = {"amana": ["amana-secret-1"], "ems": ["ems-secret-1"]}
    body = _body()

    # when
    signature = webhook.sign(body, secret="amana-secret-1")

    # then
    webhook.verify(body, signature, carrier_code="amana")
    with pytest.raises(signatures.SignatureRefused):
        webhook.verify(body, signature, carrier_code="ems")


def test_events_are_read_with_their_offset():
    [update] = webhook.parse_events(_body(location="Casablanca CTN"))

    assert update.tracking_number == "EE000000001MA"
    assert update.status == "in_transit"
    assert update.happened_at == datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    assert update.location == "Casablanca CTN"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"no": "events"}',
        _body(status="teleported"),
        _body(happened_at="2026-11-02T10:00:00"),
    ],
)
def test_an_unreadable_body_or_event_is_malformed(body):
    with pytest.raises(webhook.MalformedEvents):
        webhook.parse_events(body)
