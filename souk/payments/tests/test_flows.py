"""End to end through HTTP: the pay page, the sandbox processor, the callback, refunds.

The only stand-in for the outside world is Souk's own sandbox, reached over real HTTP on the
live test server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from souk.catalog.tests.factories import run_worker
from souk.orders.models import Order, OrderStatus
from souk.orders.tests.factories import make_buyer, make_unpaid_order
from souk.payments import services, tasks
from souk.payments.models import AttemptStatus, IntentStatus, PaymentIntent, Refund
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment


def _hidden_fields(html: str, marker: str = "") -> dict[str, str]:
    if marker:
        html = html.split(marker, 1)[1].split("</form>", 1)[0]
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def _unescape(value: str) -> str:
    return (
        value.replace("&amp;", "&")
        .replace("&quot;", '"')
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )


# Real commits (the live server reads them); reference_data puts back what the flush removes.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_full_card_flow_through_the_sandbox(client, live_server, settings):
    # given a buyer on the pay page, the site answering on the live server
    settings.SOUK_SITE_URL = live_server.url
    settings.CMI_GATEWAY_URL = f"{live_server.url}/sandbox/cmi/fim/est3Dgate"
    order = make_unpaid_order(payment_method="card")
    client.force_login(order.buyer)
    page = client.get(f"/fr/payments/{order.reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Continue to the secure payment page" in html or "page de paiement" in html
    assert "payments/autosubmit" in html
    assert f"form-action 'self' {live_server.url}" in page.headers["Content-Security-Policy"]
    fields = {
        name: _unescape(value)
        for name, value in _hidden_fields(html, "data-autosubmit-payment").items()
    }
    assert fields["TranType"] == "PreAuth"
    # when the browser posts the form to the sandbox processor and pays with a test card
    gate = client.post("/sandbox/cmi/fim/est3Dgate", fields)
    assert gate.status_code == 200
    with translation.override("fr"):  # the processor's page speaks the buyer's language
        assert gettext("Sandbox — no real money") in gate.content.decode()
    session = _hidden_fields(gate.content.decode(), "est3Dgate/card")["session"]
    result = client.post(
        "/sandbox/cmi/fim/est3Dgate/card",
        {"session": session, "card_number": "4000 0000 0000 0010", "expiry": "12/30", "cvc": "000"},
    )
    assert result.status_code == 200
    assert "4000000000000010" not in result.content.decode()
    returned = {
        name: _unescape(value)
        for name, value in _hidden_fields(
            result.content.decode(), "data-sandbox-autosubmit"
        ).items()
    }
    assert returned["maskedCreditCard"] == "400000***0010"
    assert returned["ProcReturnCode"] == "00"
    # the browser comes back first: the page says "confirming", nothing is paid yet
    back = client.post("/fr/payments/cmi/ok/", returned, follow=True)
    assert back.status_code == 200
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    assert "hx-trigger" in back.content.decode()
    # then the processor's queued callback arrives over HTTP
    delivery = DBTaskResult.objects.get(task_path__endswith="deliver_cmi_callback")
    assert delivery.args_kwargs["args"][1]["oid"] == f"{order.reference}-1"
    run_worker()
    # then
    delivery.refresh_from_db()
    assert delivery.return_value == "ACTION=POSTAUTH"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    fragment = client.get(f"/fr/payments/{order.reference}/status/")
    assert "hx-trigger" not in fragment.content.decode()


# Real commits (the live server reads them); reference_data puts back what the flush removes.
@pytest.mark.ledger_left_broken
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_refund_is_idempotent_and_sent_to_the_sandbox_api(live_server, settings):
    # given a paid card order
    settings.CMI_API_URL = f"{live_server.url}/sandbox/cmi/fim/api"
    order, start = start_card_payment()
    assert services.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    sub_order = Order.objects.get(pk=order.pk).sub_orders.get()
    # when orders asks twice
    with transaction.atomic():
        first = services.refund_sub_order(sub_order=sub_order, reason="declined")
        second = services.refund_sub_order(sub_order=sub_order, reason="declined")
    # then one refund, sent once through the API
    assert first.pk == second.pk
    assert Refund.objects.count() == 1
    assert first.method == "gateway"
    status = tasks.process_refund.call(first.pk)
    refund = Refund.objects.get(pk=first.pk)
    assert status == "succeeded"
    assert refund.gateway_reference.startswith("SBX")
    intent = PaymentIntent.objects.get(order=order)
    assert intent.refunded_amount == sub_order.total_amount
    assert intent.status in (IntentStatus.REFUNDED, IntentStatus.PARTIALLY_REFUNDED)
    # a second run sends nothing
    assert tasks.process_refund.call(first.pk) == "succeeded"


@pytest.mark.ledger_left_broken
@pytest.mark.django_db
def test_refund_stays_requested_when_the_gateway_cannot_be_reached(settings):
    # given a paid card order and then a processor API nobody answers
    order, start = start_card_payment()
    assert services.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    settings.CMI_API_URL = "http://127.0.0.1:9/fim/api"
    sub_order = Order.objects.get(pk=order.pk).sub_orders.get()
    refund = services.refund_sub_order(sub_order=sub_order, reason="declined")
    # when
    status = tasks.process_refund.call(refund.pk)
    # then it waits for send_requested_refunds; nothing was refunded
    assert status == "requested"
    assert Refund.objects.get(pk=refund.pk).error_message != ""
    assert PaymentIntent.objects.get(order=order).refunded_amount == 0


@pytest.mark.django_db
def test_pay_page_is_only_for_the_orders_buyer(client):
    order = make_unpaid_order(payment_method="card")
    client.force_login(make_buyer(email="other@example.com"))
    assert client.get(f"/fr/payments/{order.reference}/").status_code == 404


@pytest.mark.django_db
def test_wallet_pay_page_shows_an_inline_qr_code_and_polls(client):
    order = make_unpaid_order(payment_method="wallet")
    client.force_login(order.buyer)
    html = client.get(f"/en/payments/{order.reference}/").content.decode()
    assert "<svg" in html
    assert 'hx-trigger="every 3s"' in html
    assert f"/en/payments/{order.reference}/status/" in html


@pytest.mark.django_db
def test_cash_on_delivery_confirmation_places_the_order(client):
    order = make_unpaid_order(payment_method="cod")
    client.force_login(order.buyer)
    response = client.post(f"/fr/payments/{order.reference}/")
    assert response.status_code == 302
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert PaymentIntent.objects.get(order=order).status == IntentStatus.PROCESSING


@pytest.mark.django_db
def test_cmi_callback_endpoint_answers_in_plain_text(client):
    order, start = start_card_payment()
    response = client.post("/payments/cmi/callback", cmi_callback_fields(start))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"ACTION=POSTAUTH"
    assert PaymentIntent.objects.get(order=order).attempts.get().status == AttemptStatus.SUCCEEDED


@pytest.mark.django_db
def test_browser_return_with_a_bad_hash_is_refused(client):
    order, start = start_card_payment()
    fields = cmi_callback_fields(start, store_key="bad")
    response = client.post("/fr/payments/cmi/ok/", fields)
    assert response.status_code == 400
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT


def test_payment_css_uses_logical_properties_only():
    for name in ("payments/payments.css",):
        css = Path(str(finders.find(name))).read_text()
        assert not re.search(
            r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:|"
            r"text-align:\s*(left|right)|float:\s*(left|right)",
            css,
        )
