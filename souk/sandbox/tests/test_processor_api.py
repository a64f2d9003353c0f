"""The sandbox processor as the real one: one approval per order id, and its back-office API
(status query, PostAuth, Credit) answered from its own journal, over HTTP."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from souk.payments.gateways import cmi_api
from souk.payments.tests.factories import journal_approval, start_card_payment
from souk.sandbox import services as sandbox
from souk.sandbox.models import ProcessorTransaction

pytestmark = pytest.mark.django_db

API = "/sandbox/cmi/fim/api"


def _credentials(**overrides: str) -> cmi_api.Credentials:
    values = {
        "name": settings.CMI_API_USER,
        "password": settings.CMI_API_PASSWORD,
        "client_id": settings.CMI_CLIENT_ID,
        **overrides,
    }
    return cmi_api.Credentials(**values)


def _ask(client, body: bytes) -> cmi_api.Answer:
    response = client.post(API, body, content_type="application/xml")
    assert response.status_code == 200
    return cmi_api.parse_answer(response.content)


def _session(html: str) -> str:
    found = re.search(r'name="session" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _result(html: str) -> dict[str, str]:
    form = html.split("data-sandbox-autosubmit", 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_a_second_purchase_on_an_approved_order_id_is_declined(client):
    # given the same pay form opened in two tabs
    _order, start = start_card_payment()
    tabs = [_session(client.post("/sandbox/cmi/fim/est3Dgate", start.fields).content.decode())]
    tabs.append(_session(client.post("/sandbox/cmi/fim/est3Dgate", start.fields).content.decode()))
    card = {"card_number": sandbox.APPROVED_VISA, "expiry": "12/39", "cvc": "000"}
    # when both pay
    first, second = (
        _result(
            client.post(
                "/sandbox/cmi/fim/est3Dgate/card", {"session": tab, **card}
            ).content.decode()
        )
        for tab in tabs
    )
    # then the processor approves the order id once and declines the second purchase
    assert (first["ProcReturnCode"], first["Response"]) == ("00", "Approved")
    assert (second["ProcReturnCode"], second["Response"]) == ("99", "Error")
    assert second["ErrMsg"] == sandbox.DUPLICATE_ORDER_MESSAGE
    assert ProcessorTransaction.objects.count() == 1


def test_the_status_query_answers_from_the_journal(client):
    _order, start = start_card_payment()
    query = cmi_api.build_request(
        _credentials(), order_id=start.gateway_order_id, status_query=True
    )
    unknown = _ask(client, query)
    assert (unknown.response, unknown.return_code) == ("Declined", "99")
    purchase = journal_approval(start, transaction_id="SBX42")
    known = _ask(client, query)
    assert known.is_approved
    assert known.extra["TRANS_STAT"] == "A"
    assert known.extra["TRANS_ID"] == "SBX42"
    assert known.extra["ORIG_TRANS_AMT"] == str(purchase.amount)
    assert known.extra["CAPTURE_AMT"] == "0"
    assert known.extra["CURRENCY"] == "504"
    assert "TRANS_STAT:A" in known.extra["ORDERSTATUS"]


def test_postauth_captures_the_purchase_once_for_its_amount(client):
    _order, start = start_card_payment()
    purchase = journal_approval(start, transaction_id="SBX43")

    def post_auth(total: str) -> cmi_api.Answer:
        return _ask(
            client,
            cmi_api.build_request(
                _credentials(),
                order_id=start.gateway_order_id,
                transaction_type="PostAuth",
                total=total,
                currency="504",
            ),
        )

    assert post_auth("1.00").return_code == "12"
    assert ProcessorTransaction.objects.get(pk=purchase.pk).captured_at is None
    amount = start.fields["amount"]
    assert post_auth(amount).is_approved
    captured_at = ProcessorTransaction.objects.get(pk=purchase.pk).captured_at
    assert captured_at is not None
    assert post_auth(amount).is_approved
    assert ProcessorTransaction.objects.get(pk=purchase.pk).captured_at == captured_at


def test_the_api_refuses_wrong_credentials_and_unreadable_requests(client):
    _order, start = start_card_payment()
    wrong = cmi_api.build_request(
        _credentials(password="guess"), order_id=start.gateway_order_id, status_query=True
    )
    assert _ask(client, wrong).message == "Invalid credentials"
    assert _ask(client, b"not xml").response == "Error"
