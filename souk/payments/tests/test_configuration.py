"""A server with the sandbox off never sends a buyer or a refund to the sandbox's URLs."""

from __future__ import annotations

import pytest

# The URL map mounts the sandbox when it is first imported: import it before any test here
# turns SOUK_SANDBOX off, so that the map the other tests use keeps the sandbox.
from souk import urls as _urls  # noqa: F401
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services
from souk.payments.errors import PaymentsMisconfigured
from souk.payments.models import PaymentAttempt, PaymentIntent, Refund
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment

pytestmark = pytest.mark.django_db


def test_the_pay_page_refuses_a_card_payment_at_the_sandbox_when_it_is_off(client, settings):
    # given the default gateway URL (the sandbox) on a server where the sandbox is off
    settings.SOUK_SANDBOX = False
    settings.CMI_GATEWAY_URL = "https://souk.example/sandbox/cmi/fim/est3Dgate"
    order = make_unpaid_order(payment_method="card")
    client.force_login(order.buyer)
    # when
    response = client.get(f"/en/payments/{order.reference}/")
    # then a misconfiguration, said to the buyer, and no payment started
    assert response.status_code == 503
    assert "Payments are not available right now" in response.content.decode()
    assert PaymentIntent.objects.count() == 0
    assert PaymentAttempt.objects.count() == 0


def test_the_wallet_is_refused_at_the_sandbox_when_it_is_off(settings):
    settings.SOUK_SANDBOX = False
    order = make_unpaid_order(payment_method="wallet")
    with pytest.raises(PaymentsMisconfigured):
        services.start_payment(order=order, language="fr")


def test_a_real_gateway_url_works_with_the_sandbox_off(settings):
    settings.SOUK_SANDBOX = False
    settings.CMI_GATEWAY_URL = "https://payment.cmi.co.ma/fim/est3Dgate"
    _order, start = start_card_payment()
    assert start.url == "https://payment.cmi.co.ma/fim/est3Dgate"


@pytest.mark.ledger_left_broken
def test_a_refund_is_not_sent_to_the_sandbox_api_when_it_is_off(settings):
    # given a paid card order
    order, start = start_card_payment()
    services.handle_cmi_callback(params=cmi_callback_fields(start))
    refund = services.refund_sub_order(sub_order=order.sub_orders.get(), reason="declined")
    settings.SOUK_SANDBOX = False
    settings.CMI_API_URL = "https://souk.example/sandbox/cmi/fim/api"
    # when
    sent = services.process_refund(refund_id=refund.pk)
    # then it waits, with the reason for operators
    assert sent.status == "requested"
    assert "SOUK_SANDBOX is off" in Refund.objects.get(pk=refund.pk).error_message


def test_a_forged_callback_over_http_is_refused_and_changes_nothing(client):
    order, start = start_card_payment()
    response = client.post("/payments/cmi/callback", cmi_callback_fields(start, store_key="forged"))
    assert response.content == b"FAILURE"
    assert PaymentIntent.objects.get(order=order).status == "requires_action"


def test_a_callback_with_the_wrong_amount_over_http_is_refused(client):
    order, start = start_card_payment()
    response = client.post("/payments/cmi/callback", cmi_callback_fields(start, amount="1.00"))
    assert response.content == b"FAILURE"
    assert PaymentIntent.objects.get(order=order).status == "requires_action"
