"""Refunds asked by a moderator: partial or full, idempotent, never more than was paid."""

from __future__ import annotations

import pytest
from django.db import transaction

from souk.core.models import AuditEntry
from souk.core.money import Money
from souk.orders.models import Order
from souk.orders.tests.factories import make_buyer
from souk.payments import services, tasks
from souk.payments.errors import NothingToRefund, RefundExceedsPayment, RefundNotPossible
from souk.payments.models import IntentStatus, PaymentIntent, Refund, RefundStatus
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment
from souk.shops.tests.factories import make_moderator


def _paid_card_order() -> Order:
    order, start = start_card_payment()
    assert services.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    return Order.objects.get(pk=order.pk)


def _mad(text: str) -> Money:
    return Money.from_decimal(text, "MAD")


def _rest(order: Order, *, after: str) -> Money:
    """What is left of the order's total after `after` MAD."""
    return Money(order.total_amount, "MAD") - _mad(after)


@pytest.mark.django_db
def test_a_partial_refund_is_recorded_for_the_gateway_with_an_audit_entry():
    # given a paid card order and a moderator
    order = _paid_card_order()
    moderator = make_moderator()
    # when
    refund = services.refund_payment(
        order=order, amount=_mad("120.50"), reason="chipped lid", key="k1", actor=moderator
    )
    # then
    assert refund.amount == 12050
    assert refund.method == "gateway"
    assert refund.status == RefundStatus.REQUESTED
    assert refund.reason == "chipped lid"
    entry = AuditEntry.objects.get(action="payments.refund_requested")
    assert entry.actor == moderator
    assert entry.data == {"order": order.reference, "amount": 12050, "currency": "MAD"}


@pytest.mark.django_db
def test_the_same_key_twice_makes_one_refund():
    order = _paid_card_order()
    first = services.refund_payment(
        order=order, amount=_mad("10.00"), reason="r", key="same", actor=None
    )
    second = services.refund_payment(
        order=order, amount=_mad("10.00"), reason="r", key="same", actor=None
    )
    assert first.pk == second.pk
    assert Refund.objects.count() == 1


@pytest.mark.django_db
def test_a_refund_above_what_was_paid_is_refused_and_nothing_is_written():
    # given all but 85.00 MAD already refunded
    order = _paid_card_order()
    services.refund_payment(
        order=order, amount=_rest(order, after="85.00"), reason="r", key="a", actor=None
    )
    # when / then
    with pytest.raises(RefundExceedsPayment), transaction.atomic():
        services.refund_payment(order=order, amount=_mad("85.01"), reason="r", key="b", actor=None)
    assert Refund.objects.count() == 1
    assert AuditEntry.objects.filter(action="payments.refund_requested").count() == 1


@pytest.mark.django_db
def test_a_full_refund_in_two_parts_is_allowed_to_the_last_centime():
    order = _paid_card_order()
    services.refund_payment(
        order=order, amount=_rest(order, after="85.00"), reason="r", key="a", actor=None
    )
    last = services.refund_payment(
        order=order, amount=_mad("85.00"), reason="r", key="b", actor=None
    )
    assert last.amount == 8500


@pytest.mark.ledger_left_broken
@pytest.mark.django_db
def test_a_failed_refund_does_not_count_against_what_can_be_refunded():
    order = _paid_card_order()
    everything = Money(order.total_amount, "MAD")
    failed = services.refund_payment(
        order=order, amount=everything, reason="r", key="a", actor=None
    )
    Refund.objects.filter(pk=failed.pk).update(status=RefundStatus.FAILED)
    again = services.refund_payment(order=order, amount=everything, reason="r", key="b", actor=None)
    assert again.amount == order.total_amount


@pytest.mark.django_db
def test_an_unpaid_order_cannot_be_refunded():
    order, _start = start_card_payment()
    with pytest.raises(RefundNotPossible):
        services.refund_payment(order=order, amount=_mad("1.00"), reason="r", key="a", actor=None)
    assert Refund.objects.count() == 0


@pytest.mark.ledger_left_broken
@pytest.mark.django_db
def test_a_parcel_refund_after_a_partial_refund_gives_back_only_what_is_left():
    # given 100.00 MAD already refunded on the order
    order = _paid_card_order()
    services.refund_payment(order=order, amount=_mad("100.00"), reason="r", key="a", actor=None)
    sub_order = order.sub_orders.get()
    # when orders refunds the whole parcel
    refund = services.refund_sub_order(sub_order=sub_order, reason="declined")
    # then only what is left, and nothing more after it
    assert refund.amount == order.total_amount - 10000
    with pytest.raises(RefundExceedsPayment):
        services.refund_payment(order=order, amount=_mad("0.01"), reason="r", key="c", actor=None)


@pytest.mark.django_db
def test_a_parcel_refund_when_everything_was_refunded_is_refused():
    order = _paid_card_order()
    everything = Money(order.total_amount, "MAD")
    services.refund_payment(order=order, amount=everything, reason="r", key="a", actor=None)
    with pytest.raises(NothingToRefund):
        services.refund_sub_order(sub_order=order.sub_orders.get(), reason="declined")
    assert Refund.objects.count() == 1


@pytest.mark.django_db
def test_the_refund_page_is_for_moderators_and_requests_a_partial_refund(client):
    # given
    order = _paid_card_order()
    page = f"/en/payments/{order.reference}/refund/"
    client.force_login(make_buyer(email="nosy@example.com"))
    assert client.get(page).status_code == 404
    client.force_login(make_moderator())
    form = client.get(page)
    assert form.status_code == 200
    # when
    response = client.post(page, {"amount": "120.50", "reason": "chipped", "key": "tok1"})
    again = client.post(page, {"amount": "120.50", "reason": "chipped", "key": "tok1"})
    # then
    assert response.status_code == 302
    assert again.status_code == 302
    refund = Refund.objects.get()
    assert refund.amount == 12050
    assert "120.50" in client.get(page).content.decode()


@pytest.mark.django_db
def test_the_refund_page_refuses_a_bad_amount_and_too_much(client):
    order = _paid_card_order()
    page = f"/en/payments/{order.reference}/refund/"
    client.force_login(make_moderator())
    bad = client.post(page, {"amount": "12.345", "reason": "r", "key": "t1"})
    assert bad.status_code == 400
    assert "at most two decimals" in bad.content.decode()
    above = str((Money(order.total_amount, "MAD") + _mad("0.01")).to_decimal())
    too_much = client.post(page, {"amount": above, "reason": "r", "key": "t2"})
    assert too_much.status_code == 409
    assert Refund.objects.count() == 0


# Real commits (the live server reads them); reference_data puts back what the flush removes.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_partial_then_full_refund_through_the_sandbox_api(live_server, settings):
    # given a paid card order and the processor's API on the live server
    settings.CMI_API_URL = f"{live_server.url}/sandbox/cmi/fim/api"
    order = _paid_card_order()
    # when 100.00 then what is left are refunded and sent
    first = services.refund_payment(
        order=order, amount=_mad("100.00"), reason="r", key="a", actor=None
    )
    assert tasks.process_refund.call(first.pk) == "succeeded"
    intent = PaymentIntent.objects.get(order=order)
    assert intent.status == IntentStatus.PARTIALLY_REFUNDED
    assert intent.refunded_amount == 10000
    second = services.refund_payment(
        order=order, amount=_rest(order, after="100.00"), reason="r", key="b", actor=None
    )
    assert tasks.process_refund.call(second.pk) == "succeeded"
    # then
    intent = PaymentIntent.objects.get(order=order)
    assert intent.status == IntentStatus.REFUNDED
    assert intent.refunded_amount == order.total_amount
    with pytest.raises(RefundExceedsPayment):
        services.refund_payment(order=order, amount=_mad("0.01"), reason="r", key="c", actor=None)
