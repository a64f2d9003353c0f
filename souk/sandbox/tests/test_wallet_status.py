"""The wallet's status endpoint and WalletGateway.fetch_status, over real HTTP against the
sandbox wallet: what became of a bill number when its callback never came (issue #13)."""

from __future__ import annotations

import json
import time

import pytest

from souk.core import signatures
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services
from souk.payments.gateways import registry, wallet
from souk.payments.gateways.base import CallbackOutcome
from souk.payments.models import PaymentAttempt
from souk.sandbox import keys
from souk.sandbox import wallet as sandbox
from souk.sandbox.models import WalletPushRequest

STATUS = "/sandbox/wallet/api/status"


@pytest.fixture
def wallet_over_http(live_server, settings):
    settings.SOUK_SITE_URL = live_server.url
    settings.WALLET_API_URL = f"{live_server.url}/sandbox/wallet/api"
    return registry.get_gateway(wallet.CODE)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_fetch_status_follows_a_push_request_from_pending_to_approved(wallet_over_http):
    # given a push request sent to the buyer's wallet, not answered yet
    order = make_unpaid_order(payment_method="wallet")
    attempt = services.request_wallet_push(order=order, phone="0612345678")
    push = WalletPushRequest.objects.get()
    # when the gateway asks before and after the buyer approves
    before = wallet_over_http.fetch_status(attempt.gateway_order_id)
    sandbox.decide_push(request_id=push.pk, approve=True)
    after = wallet_over_http.fetch_status(attempt.gateway_order_id)
    # then
    assert before is None
    assert after is not None
    assert after.is_signature_valid
    assert after.outcome == CallbackOutcome.APPROVED
    assert after.gateway_order_id == attempt.gateway_order_id
    assert (after.amount, after.currency) == (order.total_amount, "504")
    assert after.transaction_id == sandbox.wallet_transaction_id(push)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_fetch_status_reports_a_rejection_and_knows_nothing_of_other_bills(wallet_over_http):
    order = make_unpaid_order(payment_method="wallet")
    attempt = services.request_wallet_push(order=order, phone="0612345678")
    sandbox.decide_push(request_id=WalletPushRequest.objects.get().pk, approve=False)

    rejected = wallet_over_http.fetch_status(attempt.gateway_order_id)
    unknown = wallet_over_http.fetch_status("NO-SUCH-BILL")

    assert rejected is not None
    assert rejected.outcome == CallbackOutcome.DECLINED
    assert rejected.error_code == "rejected"
    assert unknown is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_fetch_status_knows_a_scanned_qr_code_that_was_paid(wallet_over_http):
    order = make_unpaid_order(payment_method="wallet")
    start = services.start_payment(order=order, language="fr")

    sandbox.decide_scanned(payload=start.qr_payload, approve=True, phone="+212612345678")
    result = wallet_over_http.fetch_status(start.gateway_order_id)

    assert result is not None
    assert result.outcome == CallbackOutcome.APPROVED
    assert result.amount == order.total_amount
    assert PaymentAttempt.objects.get(gateway_order_id=start.gateway_order_id)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "The signature header is missing."),
        ("t=1é", "The signature header is not readable."),
        ("stale", "The signature is more than five minutes old or ahead."),
        ("wrong", "The signature does not match."),
    ],
)
def test_the_status_endpoint_answers_only_signed_fresh_queries(client, header, message):
    body = json.dumps({"merchant_id": "MA0000123456", "bill_number": "B1"}).encode()
    if header == "stale":
        header = signatures.sign(
            body, secret=keys.WALLET_CALLBACK_SECRET, timestamp=int(time.time()) - 600
        )
    elif header == "wrong":
        header = signatures.sign(body, secret="not-the-wallet-secret")
    headers = {"Accept-Language": "en"}
    if header is not None:
        headers["X-Wallet-Signature"] = header

    response = client.post(STATUS, body, content_type="application/json", headers=headers)

    assert response.status_code == 400
    assert response.json() == {"error": message}


@pytest.mark.django_db
def test_the_sandbox_wallet_refuses_a_push_request_signed_the_old_way(client):
    body = json.dumps({"merchant_id": "MA0000123456", "bill_number": "B1"}).encode()

    response = client.post(
        "/sandbox/wallet/api/push",
        body,
        content_type="application/json",
        headers={"X-Wallet-Signature": "0" * 64, "Accept-Language": "en"},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "The signature header is not readable."}
    assert not WalletPushRequest.objects.exists()
