"""The sandbox processor and wallet speak the real protocols (through HTTP)."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from souk.catalog.tests.factories import run_worker
from souk.orders.models import Order, OrderStatus
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services
from souk.payments.gateways import cmi_protocol
from souk.payments.tests.factories import start_card_payment
from souk.sandbox import services as sandbox
from souk.sandbox.models import PushStatus, WalletPushRequest


def _gate_session(client, fields) -> str:
    html = client.post("/sandbox/cmi/fim/est3Dgate", dict(fields)).content.decode()
    return _session_in(html)


def _session_in(html: str) -> str:
    found = re.search(r'name="session" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _result_fields(html: str) -> dict[str, str]:
    form = html.split("data-sandbox-autosubmit", 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


@pytest.mark.django_db
def test_gate_refuses_an_unsigned_request(client):
    _order, start = start_card_payment()
    fields = dict(start.fields, amount="1.00")
    response = client.post("/sandbox/cmi/fim/est3Dgate", fields)
    assert response.status_code == 400


@pytest.mark.django_db
def test_an_unknown_card_is_declined_with_code_05_and_masked(client, caplog):
    _order, start = start_card_payment()
    session = _gate_session(client, start.fields)
    html = client.post(
        "/sandbox/cmi/fim/est3Dgate/card",
        {"session": session, "card_number": "4111111111111111", "expiry": "12/39", "cvc": "000"},
    ).content.decode()
    fields = _result_fields(html)
    assert fields["ProcReturnCode"] == "05"
    assert fields["maskedCreditCard"] == "411111***1111"
    assert "4111111111111111" not in html
    assert "4111111111111111" not in caplog.text
    assert 'action="http://127.0.0.1:8000/fr/payments/cmi/fail/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "md_status", "approved"), [("123", "1", True), ("999", "0", False)]
)
def test_three_d_secure_card_asks_a_code(client, code, md_status, approved):
    _order, start = start_card_payment()
    session = _gate_session(client, start.fields)
    page = client.post(
        "/sandbox/cmi/fim/est3Dgate/card",
        {"session": session, "card_number": "5191630100004896", "expiry": "12/39", "cvc": "000"},
    ).content.decode()
    three_d_session = _session_in(page)
    html = client.post(
        "/sandbox/cmi/fim/est3Dgate/3ds", {"session": three_d_session, "code": code}
    ).content.decode()
    fields = _result_fields(html)
    assert fields["mdStatus"] == md_status
    result = cmi_protocol.read_callback(fields)
    assert (result.outcome == cmi_protocol.Outcome.APPROVED) is approved


def test_card_numbers_are_masked_like_cmi():
    assert sandbox.mask_card("5453010000066100") == "545301***6100"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_wallet_push_request_approved_in_the_sandbox_wallet_pays_the_order(
    client, live_server, settings
):
    # given a wallet order and the wallet reached over HTTP
    settings.SOUK_SITE_URL = live_server.url
    settings.WALLET_API_URL = f"{live_server.url}/sandbox/wallet/api"
    order = make_unpaid_order(payment_method="wallet")
    # when the buyer asks for a push request, then approves it in the wallet
    services.request_wallet_push(order=order, phone="0612345678")
    push = WalletPushRequest.objects.get()
    assert push.phone == "+212612345678"
    assert push.amount == order.total_amount
    page = client.get("/sandbox/wallet/", {"phone": "+212612345678"}).content.decode()
    with translation.override("fr"):  # the sandbox pages speak the visitor's language
        assert gettext("Sandbox — no real money") in page
    client.post("/sandbox/wallet/decide", {"request_id": push.pk, "decision": "approve"})
    run_worker()
    # then
    assert WalletPushRequest.objects.get().status == PushStatus.APPROVED
    delivery = DBTaskResult.objects.get(task_path__endswith="deliver_wallet_callback")
    assert delivery.return_value == "ok"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


@pytest.mark.django_db
def test_the_wallet_reads_a_pasted_qr_code(client):
    order = make_unpaid_order(payment_method="wallet")
    start = services.start_payment(order=order, language="fr")
    html = client.post("/sandbox/wallet/", {"payload": start.qr_payload}).content.decode()
    assert order.reference in html
    assert "SOUK" in html
    assert "504" in html
