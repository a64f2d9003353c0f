"""The wallet's callbacks carry their time: signed `t=...,v1=...` within five minutes, with the
current secret or, while it changes, the previous one (issue #13, defects 7 and 8). Through
the real callback address; a refused callback changes nothing."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from souk.orders.models import Order, OrderStatus
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services
from souk.payments.gateways import cmi_protocol
from souk.payments.models import AttemptStatus, PaymentAttempt
from souk.payments.tests.factories import signed_wallet_body
from souk.sandbox import keys

pytestmark = pytest.mark.django_db
CALLBACK = "/payments/wallet/callback"


def _approval(
    *, secret: str | None = None, timestamp: int | None = None
) -> tuple[Order, bytes, str]:
    """A wallet order waiting for payment, and the wallet's signed approval of it."""
    order = make_unpaid_order(payment_method="wallet")
    start = services.start_payment(order=order, language="fr")
    body, signature = signed_wallet_body(
        {
            "event_id": "evt-1",
            "bill_number": start.gateway_order_id,
            "reference": order.reference,
            "amount": cmi_protocol.format_amount(order.total_amount),
            "currency": "504",
            "status": "approved",
            "transaction_id": "W1",
        },
        secret=secret,
        timestamp=timestamp,
    )
    return order, body, signature


def _post(client, body: bytes, header: str | None):
    headers = {} if header is None else {"X-Wallet-Signature": header}
    return client.post(CALLBACK, body, content_type="application/json", headers=headers)


def _assert_unpaid(order: Order) -> None:
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    assert PaymentAttempt.objects.get(intent__order=order).status == AttemptStatus.PENDING


def test_a_fresh_signed_approval_pays_the_order(client):
    order, body, signature = _approval()

    response = _post(client, body, signature)

    assert (response.status_code, response.content) == (200, b"ok")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


@pytest.mark.parametrize("shift_seconds", [-360, 360])
def test_an_approval_signed_more_than_five_minutes_away_is_refused(client, shift_seconds):
    # given a genuine approval, replayed six minutes later (or stamped ahead)
    order, body, signature = _approval(timestamp=int(time.time()) + shift_seconds)
    # when
    response = _post(client, body, signature)
    # then
    assert (response.status_code, response.content) == (400, b"rejected")
    _assert_unpaid(order)


def test_a_tampered_approval_is_refused(client):
    order, body, signature = _approval()
    tampered = json.loads(body)
    tampered["transaction_id"] = "W2"

    response = _post(client, json.dumps(tampered).encode(), signature)

    assert (response.status_code, response.content) == (400, b"rejected")
    _assert_unpaid(order)


def test_an_approval_signed_with_another_secret_is_refused(client):
    order, body, signature = _approval(secret="not-the-wallet-secret")

    response = _post(client, body, signature)

    assert (response.status_code, response.content) == (400, b"rejected")
    _assert_unpaid(order)


def test_the_old_bare_signature_with_the_public_secret_is_refused(client):
    # given the approval as it was signed before: the body's HMAC alone, replayable forever
    order, body, _signature = _approval()
    legacy = hmac.new(keys.WALLET_CALLBACK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    # when
    response = _post(client, body, legacy)
    # then
    assert (response.status_code, response.content) == (400, b"rejected")
    _assert_unpaid(order)


@pytest.mark.parametrize("header", [None, "", "t=1é,v1=ß", "t=x", "v1=" + "0" * 64])
def test_a_missing_or_unreadable_header_is_a_clean_400(client, header):
    order, body, _signature = _approval()

    response = _post(client, body, header)

    assert (response.status_code, response.content) == (400, b"rejected")
    _assert_unpaid(order)


def test_the_previous_secret_is_accepted_while_listed_and_refused_after(client, settings):
    # given the wallet secret being changed: the new one set, the previous one kept for a while
    settings.WALLET_CALLBACK_SECRET = "NewWalletSecret-2027"
    settings.WALLET_CALLBACK_PREVIOUS_SECRET = "OldWalletSecret-2026"
    order, body, signature = _approval(secret="OldWalletSecret-2026")
    later, later_body, later_signature = _approval(secret="OldWalletSecret-2026")
    # when the wallet still signs with the previous one, then after it is removed
    during = _post(client, body, signature)
    settings.WALLET_CALLBACK_PREVIOUS_SECRET = ""
    after = _post(client, later_body, later_signature)
    # then
    assert (during.status_code, during.content) == (200, b"ok")
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert (after.status_code, after.content) == (400, b"rejected")
    _assert_unpaid(later)
