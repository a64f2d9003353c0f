"""The tracking webhook's signature: each carrier its own secret, signed time within five
minutes, two secrets while one changes, no event from the future (issue #13, defects 3, 7, 8)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time

import pytest
from django.utils import timezone, translation

from souk.core import signatures
from souk.fulfilment.models import Shipment, ShipmentStatus, TrackingEvent
from souk.fulfilment.tests.test_tracking import CARRIER, WEBHOOK, event, post_events, shipped_parcel
from souk.orders.models import SubOrderStatus
from souk.sandbox import keys

pytestmark = pytest.mark.django_db
SECRET = keys.carrier_secret(CARRIER)


def _body(*events: dict[str, str]) -> bytes:
    return json.dumps({"events": list(events)}).encode()


def _post(client, body: bytes, header: str | None, url: str = WEBHOOK, language: str = "en"):
    # A carrier gets the reason in the language it asks for (French by default).
    headers = {"Accept-Language": language}
    if header is not None:
        headers["X-Carrier-Signature"] = header
    return client.post(url, body, content_type="application/json", headers=headers)


def _assert_unchanged(parcel) -> None:
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.SHIPPED
    assert Shipment.objects.get(pk=parcel.shipment.pk).status == ShipmentStatus.CREATED
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize(
    ("shift_seconds", "label"),
    [(-360, "replayed six minutes later"), (360, "dated six minutes ahead")],
)
def test_a_delivery_signed_outside_five_minutes_is_refused(client, shift_seconds, label):
    # given a genuine signature, stamped more than five minutes away from now
    parcel = shipped_parcel()
    body = _body(event(parcel, "delivered", 120))
    header = signatures.sign(
        body, secret=keys.carrier_secret(CARRIER), timestamp=int(time.time()) + shift_seconds
    )
    # when
    response = _post(client, body, header)
    # then
    assert response.status_code == 403, label
    assert response.json() == {"error": "The signature is more than five minutes old or ahead."}
    _assert_unchanged(parcel)


def test_a_tampered_body_is_refused(client):
    parcel = shipped_parcel()
    signed = _body(event(parcel, "in_transit", 60))
    header = signatures.sign(signed, secret=keys.carrier_secret(CARRIER))

    response = _post(client, _body(event(parcel, "delivered", 120)), header)
    in_french = _post(client, _body(event(parcel, "delivered", 120)), header, language="fr")

    assert response.status_code == 403
    assert response.json() == {"error": "The signature does not match."}
    assert in_french.json() == {"error": "La signature ne correspond pas."}
    _assert_unchanged(parcel)


def test_the_old_bare_signature_with_the_public_shared_secret_is_refused(client):
    # given the delivery that marked a parcel delivered before: HMAC of the body alone, with the
    # one secret all carriers shared (documented, public)
    parcel = shipped_parcel()
    body = _body(event(parcel, "delivered", 120))
    legacy = hmac.new(keys.LEGACY_CARRIER_SECRET.encode(), body, hashlib.sha256).hexdigest()
    # when
    response = _post(client, body, legacy)
    # then
    assert response.status_code == 403
    assert response.json() == {"error": "The signature header is not readable."}
    _assert_unchanged(parcel)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "The signature header is missing."),
        ("t=1é,v1=ß", "The signature header is not readable."),
        ("garbage", "The signature header is not readable."),
        ("t=,v1=", "The signature header is not readable."),
    ],
)
def test_a_missing_or_unreadable_header_is_a_clean_403(client, header, message):
    parcel = shipped_parcel()

    response = _post(client, _body(event(parcel, "delivered", 120)), header)

    assert response.status_code == 403
    assert response.json() == {"error": message}
    _assert_unchanged(parcel)


def test_another_carriers_secret_is_refused(client):
    # given a delivery for an Amana International parcel signed with domestic Amana's secret
    parcel = shipped_parcel()
    body = _body(event(parcel, "delivered", 120))
    header = signatures.sign(body, secret=keys.carrier_secret("amana"))
    # when
    response = _post(client, body, header)
    # then
    assert response.status_code == 403
    _assert_unchanged(parcel)


def test_a_carrier_cannot_move_another_carriers_parcel(client):
    # given domestic Amana, correctly signed at its own address, names an international parcel
    parcel = shipped_parcel()
    body = _body(event(parcel, "delivered", 120))
    header = signatures.sign(body, secret=keys.carrier_secret("amana"))
    # when
    response = _post(client, body, header, url="/shipping/tracking/amana/")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "applied": 0,
        "duplicates": 0,
        "unknown": [parcel.shipment.tracking_number],
    }
    _assert_unchanged(parcel)


def test_a_carrier_without_a_secret_is_refused(client):
    parcel = shipped_parcel()
    body = _body(event(parcel, "delivered", 120))
    header = signatures.sign(body, secret=keys.carrier_secret("nobody"))

    response = _post(client, body, header, url="/shipping/tracking/nobody/")

    assert response.status_code == 403
    assert response.json() == {"error": "No secret is configured to check this signature."}
    _assert_unchanged(parcel)


def test_the_previous_secret_works_while_listed_and_not_after(client, settings):
    # given the carrier changing its secret: the new one first, the previous one still listed
    settings.SHIPPING_WEBHOOK_SECRETS = {CARRIER: ["NewSecret-2027", "OldSecret-2026"]}
    parcel = shipped_parcel()
    in_transit = _body(event(parcel, "in_transit", 60))
    delivered = _body(event(parcel, "delivered", 120))
    # when it still signs with the previous one
    during = _post(client, in_transit, signatures.sign(in_transit, secret="OldSecret-2026"))
    # and after the previous one is removed
    settings.SHIPPING_WEBHOOK_SECRETS = {CARRIER: ["NewSecret-2027"]}
    after = _post(client, delivered, signatures.sign(delivered, secret="OldSecret-2026"))
    # then
    assert during.status_code == 200
    assert during.json()["applied"] == 1
    assert after.status_code == 403
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.IN_TRANSIT
    # and the new secret is what works now
    assert (
        _post(client, delivered, signatures.sign(delivered, secret="NewSecret-2027")).json()[
            "applied"
        ]
        == 1
    )


def test_an_event_dated_2099_is_refused_and_the_real_delivery_still_applies(client):
    # given a signed event from the future (it froze the parcel before)
    parcel = shipped_parcel()
    future = event(parcel, "in_transit", 0, event_id="from-2099")
    future["happened_at"] = "2099-01-01T00:00:00+00:00"
    # when
    refused = _post(client, _body(future), signatures.sign(_body(future), secret=SECRET))
    delivered = post_events(client, event(parcel, "delivered", 120))
    # then
    assert refused.status_code == 400
    assert refused.json() == {"error": "An event is dated in the future; nothing was applied."}
    assert not TrackingEvent.objects.filter(external_id="from-2099").exists()
    assert delivered.json() == {"applied": 1, "duplicates": 0, "unknown": []}
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.DELIVERED


def test_a_future_event_stored_earlier_no_longer_freezes_the_parcel(client):
    # given a 2099 event recorded before events from the future were refused
    parcel = shipped_parcel()
    TrackingEvent.objects.create(
        shipment=parcel.shipment,
        external_id="from-2099",
        status=ShipmentStatus.IN_TRANSIT,
        happened_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    # when the real delivery comes
    response = post_events(client, event(parcel, "delivered", 120))
    # then it applies
    assert response.json()["applied"] == 1
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.DELIVERED


def test_an_event_a_few_minutes_ahead_is_accepted(client):
    parcel = shipped_parcel()
    ahead = event(parcel, "in_transit", 0)
    ahead["happened_at"] = (timezone.now() + datetime.timedelta(minutes=4)).isoformat()

    response = post_events(client, ahead)

    assert response.json()["applied"] == 1


def test_the_tracking_csv_rejects_an_event_from_the_future(tmp_path):
    from souk.fulfilment import services

    parcel = shipped_parcel()
    path = tmp_path / "tracking.csv"
    path.write_text(
        "tracking_number,event_id,status,happened_at,location\n"
        f"{parcel.shipment.tracking_number},E1,delivered,2099-01-01T00:00:00+00:00,Paris\n",
        encoding="utf-8",
    )

    with translation.override("en"):
        result = services.import_tracking(path=path)
        reasons = [(line.line, str(line.reason)) for line in result.rejected]

    assert result.applied == 0
    assert reasons == [(2, "The event is dated in the future.")]
    _assert_unchanged(parcel)
