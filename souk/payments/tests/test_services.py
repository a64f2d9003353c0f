"""Payment use cases: starting, callbacks (CMI and wallet), idempotency, repair."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction

from souk.catalog.tests.factories import make_active_product
from souk.orders.models import Order, OrderStatus
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services
from souk.payments.errors import PaymentNotPossible
from souk.payments.gateways import cmi, cmi_protocol, emv_qr
from souk.payments.gateways.base import AttemptContext
from souk.payments.models import (
    AttemptStatus,
    CallbackStatus,
    GatewayCallback,
    IntentStatus,
    PaymentAttempt,
    PaymentEvent,
    PaymentIntent,
)
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment, wallet_body

pytestmark = pytest.mark.django_db


def test_card_start_builds_a_signed_preauth_form_in_the_buyers_language():
    # given
    order = make_unpaid_order(payment_method="card")
    # when
    start = services.start_payment(order=order, language="es")
    # then
    fields = start.fields
    assert start.kind == "form_post"
    assert start.url == settings.CMI_GATEWAY_URL
    assert fields["TranType"] == "PreAuth"
    assert fields["currency"] == "504"
    assert fields["amount"] == cmi_protocol.format_amount(order.total_amount)
    assert fields["lang"] == "en"
    assert fields["oid"] == f"{order.reference}-1"
    assert fields["okUrl"] == f"{settings.SOUK_SITE_URL}/es/payments/cmi/ok/"
    assert fields["failUrl"] == f"{settings.SOUK_SITE_URL}/es/payments/cmi/fail/"
    assert fields["callbackUrl"] == f"{settings.SOUK_SITE_URL}/payments/cmi/callback"
    assert fields["sessionTimeout"] == str(settings.SOUK_RESERVATION_MINUTES * 60)
    assert cmi_protocol.verify_response(fields, settings.CMI_STORE_KEY)


def test_card_amount_is_formatted_with_two_decimals():
    context = AttemptContext(
        gateway_order_id="SK-TEST2345-1",
        order_reference="SK-TEST2345",
        amount=45_000,
        currency="MAD",
        language="ar",
        buyer_email="a@example.com",
        buyer_name="A",
        session_seconds=99_999,
    )
    fields = cmi.CmiGateway().start_payment(context).fields
    assert fields["amount"] == "450.00"
    assert fields["lang"] == "ar"
    assert fields["sessionTimeout"] == "2700"


def test_reloading_the_pay_page_reuses_the_open_attempt():
    order, first = start_card_payment()
    second = services.start_payment(order=order, language="fr")
    assert second.gateway_order_id == first.gateway_order_id
    assert PaymentAttempt.objects.count() == 1
    assert PaymentIntent.objects.count() == 1


def test_approved_callback_places_the_order_and_asks_for_capture():
    # given
    order, start = start_card_payment()
    # when
    reply = services.handle_cmi_callback(params=cmi_callback_fields(start))
    # then
    assert reply == "ACTION=POSTAUTH"
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    intent = PaymentIntent.objects.get(order=order)
    assert intent.status == IntentStatus.SUCCEEDED
    assert intent.order_recorded_at is not None
    attempt = intent.attempts.get()
    assert attempt.status == AttemptStatus.SUCCEEDED
    assert attempt.masked_pan == "400000***0010"
    assert attempt.transaction_id == f"T{start.gateway_order_id}"
    assert list(intent.events.values_list("action", "to_status")) == [
        ("start_attempt", "requires_action"),
        ("succeed", "succeeded"),
    ]
    assert GatewayCallback.objects.get().status == CallbackStatus.HANDLED


def test_the_same_callback_twice_has_one_effect():
    order, start = start_card_payment()
    fields = cmi_callback_fields(start)
    first = services.handle_cmi_callback(params=fields)
    events = PaymentEvent.objects.count()
    second = services.handle_cmi_callback(params=fields)
    assert first == second == "ACTION=POSTAUTH"
    assert GatewayCallback.objects.count() == 1
    assert PaymentEvent.objects.count() == events
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_a_failure_after_the_success_never_unpays_the_order():
    order, start = start_card_payment()
    services.handle_cmi_callback(params=cmi_callback_fields(start))
    reply = services.handle_cmi_callback(params=cmi_callback_fields(start, code="05", rnd="2"))
    assert reply == "APPROVED"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert PaymentIntent.objects.get(order=order).status == IntentStatus.SUCCEEDED
    assert PaymentAttempt.objects.get().status == AttemptStatus.SUCCEEDED


def _nothing_changed(order: Order) -> None:
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    intent = PaymentIntent.objects.get(order=order)
    assert intent.status == IntentStatus.REQUIRES_ACTION
    assert intent.attempts.get().status == AttemptStatus.PENDING
    assert list(intent.events.values_list("action", flat=True)) == ["start_attempt"]


def test_a_callback_with_a_bad_hash_changes_nothing(caplog):
    order, start = start_card_payment()
    fields = cmi_callback_fields(start, store_key="not-the-key")
    reply = services.handle_cmi_callback(params=fields)
    assert reply == "FAILURE"
    _nothing_changed(order)
    stored = GatewayCallback.objects.get()
    assert stored.status == CallbackStatus.REJECTED
    assert stored.is_signature_valid is False
    # Field names are logged for operators, never the values.
    assert "cmi message refused (bad hash" in caplog.text
    assert "ProcReturnCode" in caplog.text
    assert start.gateway_order_id not in caplog.text


def test_a_callback_for_an_unknown_order_id_is_refused():
    order, start = start_card_payment()
    reply = services.handle_cmi_callback(params=cmi_callback_fields(start, oid="SK-UNKNOWN-1"))
    assert reply == "FAILURE"
    _nothing_changed(order)


def test_a_callback_with_a_wrong_amount_changes_nothing():
    order, start = start_card_payment()
    reply = services.handle_cmi_callback(params=cmi_callback_fields(start, amount="1.00"))
    assert reply == "FAILURE"
    _nothing_changed(order)
    assert GatewayCallback.objects.get().error == "wrong amount or currency"


def test_the_amount_is_compared_numerically():
    order, start = start_card_payment()
    whole = f"{order.total_amount // 100}"
    assert order.total_amount % 100 == 0
    reply = services.handle_cmi_callback(params=cmi_callback_fields(start, amount=whole))
    assert reply == "ACTION=POSTAUTH"


def test_a_failure_releases_the_stock_and_a_retry_is_a_new_attempt():
    # given
    product = make_active_product(stock_quantity=1)
    order = make_unpaid_order(payment_method="card", products=[(product, 1)])
    start = services.start_payment(order=order, language="fr")
    # when
    reply = services.handle_cmi_callback(params=cmi_callback_fields(start, code="05"))
    # then
    assert reply == "APPROVED"
    product.refresh_from_db()
    assert product.stock_quantity == 1
    assert PaymentIntent.objects.get(order=order).status == IntentStatus.FAILED
    # when the buyer tries again
    retry = services.start_payment(order=order, language="fr")
    # then
    assert retry.gateway_order_id == f"{order.reference}-2"
    assert retry.fields["oid"] != start.fields["oid"]
    product.refresh_from_db()
    assert product.stock_quantity == 0
    reply = services.handle_cmi_callback(params=cmi_callback_fields(retry))
    assert reply == "ACTION=POSTAUTH"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED


def test_an_approval_of_an_older_attempt_after_payment_is_not_captured():
    order, first = start_card_payment()
    services.handle_cmi_callback(params=cmi_callback_fields(first, code="05"))
    second = services.start_payment(order=order, language="fr")
    services.handle_cmi_callback(params=cmi_callback_fields(second))
    reply = services.handle_cmi_callback(params=cmi_callback_fields(first, rnd="late"))
    assert reply == "APPROVED"
    statuses = dict(PaymentAttempt.objects.values_list("number", "status"))
    assert statuses == {1: AttemptStatus.NOT_CAPTURED, 2: AttemptStatus.SUCCEEDED}


def test_three_d_secure_failure_is_a_declined_attempt():
    order, start = start_card_payment()
    reply = services.handle_cmi_callback(params=cmi_callback_fields(start, md_status="0"))
    assert reply == "APPROVED"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    assert PaymentAttempt.objects.get().status == AttemptStatus.FAILED


def test_starting_a_payment_for_a_paid_order_is_refused():
    order, start = start_card_payment()
    services.handle_cmi_callback(params=cmi_callback_fields(start))
    order.refresh_from_db()
    with pytest.raises(PaymentNotPossible):
        services.start_payment(order=order, language="fr")


def test_wallet_qr_payload_carries_the_exact_amount_and_reference():
    # given
    order = make_unpaid_order(payment_method="wallet")
    # when
    start = services.start_payment(order=order, language="fr")
    # then
    objects = dict(emv_qr.decode(start.qr_payload))
    assert objects["00"] == "01"
    assert objects["01"] == "12"
    assert objects["52"] == "5970"
    assert objects["53"] == "504"
    assert objects["54"] == cmi_protocol.format_amount(order.total_amount)
    assert objects["58"] == "MA"
    assert objects["59"] == settings.PAYMENTS_MERCHANT_NAME
    assert objects["60"] == settings.PAYMENTS_MERCHANT_CITY
    assert objects["26"].startswith("0014MA.SOUK.WALLET")
    assert f"05{len(order.reference):02d}{order.reference}" in objects["62"]
    assert f"01{len(start.gateway_order_id):02d}{start.gateway_order_id}" in objects["62"]


def _wallet_approval(order: Order, gateway_order_id: str, **overrides):
    data = {
        "event_id": "evt-1",
        "bill_number": gateway_order_id,
        "reference": order.reference,
        "amount": cmi_protocol.format_amount(order.total_amount),
        "currency": "504",
        "status": "approved",
        "transaction_id": "W1",
    }
    data.update(overrides)
    return wallet_body(**data)


def test_wallet_callback_with_a_bad_signature_is_refused():
    order = make_unpaid_order(payment_method="wallet")
    start = services.start_payment(order=order, language="fr")
    body, _signature = _wallet_approval(order, start.gateway_order_id)
    reply = services.handle_wallet_callback(body=body, signature="0" * 64)
    assert reply == "rejected"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.AWAITING_PAYMENT
    assert PaymentAttempt.objects.get().status == AttemptStatus.PENDING


def test_wallet_signed_approval_places_the_order_once():
    order = make_unpaid_order(payment_method="wallet")
    start = services.start_payment(order=order, language="fr")
    body, signature = _wallet_approval(order, start.gateway_order_id)
    assert services.handle_wallet_callback(body=body, signature=signature) == "ok"
    assert services.handle_wallet_callback(body=body, signature=signature) == "ok"
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert GatewayCallback.objects.count() == 1


def test_complete_unrecorded_payments_tells_the_order_it_was_paid():
    # given an attempt marked paid whose order was never told (the process died in between)
    order, _start = start_card_payment()
    intent = PaymentIntent.objects.get(order=order)
    PaymentAttempt.objects.filter(intent=intent).update(status=AttemptStatus.SUCCEEDED)
    PaymentIntent.objects.filter(pk=intent.pk).update(status=IntentStatus.SUCCEEDED)
    # when
    completed = services.complete_unrecorded_payments()
    # then
    assert completed == 1
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert PaymentIntent.objects.get(pk=intent.pk).order_recorded_at is not None
    assert services.complete_unrecorded_payments() == 0


def test_refund_of_a_cash_on_delivery_order_is_manual_and_idempotent():
    order = make_unpaid_order(payment_method="cod")
    services.confirm_cash_on_delivery(order=order)
    sub_order = order.sub_orders.get()
    with transaction.atomic():
        first = services.refund_sub_order(sub_order=sub_order, reason="declined")
        second = services.refund_sub_order(sub_order=sub_order, reason="declined")
    assert first.pk == second.pk
    assert first.method == "manual"
    assert first.amount == sub_order.total_amount
    assert first.idempotency_key == f"refund:{sub_order.reference}"
