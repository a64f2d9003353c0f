"""Money the processor moved for an order that was not placed (issue #14, defect 5): a payment
that arrives after its order expired and its piece was sold, a refund asked before the order
recorded its payment.

The money is captured at the processor, refunded, and the processor keeps its fee: every one
of these movements is in the ledger. End to end: the callback through the real callback
address, the refund sent by the worker to the sandbox processor, the sandbox's settlement file
reconciled."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from souk.catalog.tests.factories import make_active_product, run_worker
from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger.models import LedgerAccount
from souk.orders import services as orders
from souk.orders.models import Order, OrderStatus
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services
from souk.payments.errors import RefundPaymentNotRecorded
from souk.payments.gateways import cmi_protocol
from souk.payments.gateways.base import PaymentStart
from souk.payments.models import (
    AttemptStatus,
    IntentStatus,
    PaymentAttempt,
    PaymentIntent,
    Refund,
    RefundMethod,
    RefundStatus,
    SettlementLine,
    SettlementLineKind,
)
from souk.payments.tests.factories import cmi_callback_fields, signed_wallet_body
from souk.sandbox.models import ProcessorTransaction, TransactionType

CMI_CALLBACK = "/payments/cmi/callback"
WALLET_CALLBACK = "/payments/wallet/callback"


def _balance(key: str) -> int:
    account = LedgerAccount.objects.filter(key=key).first()
    return account.balance.amount if account is not None else 0


def _expire_and_sell_to_another_buyer(order: Order) -> Order:
    """The reservation of `order` lapses and another buyer takes its one piece."""
    later = timezone.now() + datetime.timedelta(minutes=orders.reservation_minutes() + 1)
    assert orders.expire_unpaid_orders(now=later) == 1
    product = order.sub_orders.get().lines.get().product
    return make_unpaid_order(products=[(product, 1)], payment_method="card")


def _processor_calls_back(client: Client, start: PaymentStart) -> str:
    """The processor posts its signed approval and, when the merchant answers ACTION=POSTAUTH,
    captures the purchase in its own books (as the sandbox's delivery task does)."""
    reply = client.post(CMI_CALLBACK, cmi_callback_fields(start)).content.decode()
    if reply == cmi_protocol.CallbackReply.CAPTURE:
        ProcessorTransaction.objects.filter(
            oid=start.gateway_order_id, type=TransactionType.PURCHASE
        ).update(captured_at=timezone.now())
    return reply


def _settle_today(tmp_path: Path) -> list[dict[str, str]]:
    """The sandbox processor writes today's settlement file and Souk reconciles it."""
    path = tmp_path / "settlement.csv"
    day = timezone.localdate().isoformat()
    call_command("generate_settlement", "--date", day, str(path), stdout=io.StringIO())
    call_command("reconcile_settlement", str(path), stdout=io.StringIO())
    with path.open(encoding="utf-8") as settlement:
        return list(csv.DictReader(settlement))


def _minor(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    return sign * (cmi_protocol.parse_amount(text.lstrip("-")) or 0)


# Real commits: the refund is queued on commit and sent by the worker, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_late_card_payment_refunded_because_the_piece_was_sold_is_all_in_the_ledger(tmp_path):
    # given a buyer whose card order expired, its one piece then bought and paid by another
    late_order = make_unpaid_order(
        products=[(make_active_product(stock_quantity=1), 1)], payment_method="card"
    )
    late_start = services.start_payment(order=late_order, language="fr")
    other_order = _expire_and_sell_to_another_buyer(late_order)
    other_start = services.start_payment(order=other_order, language="fr")
    client = Client()
    assert _processor_calls_back(client, other_start) == "ACTION=POSTAUTH"

    # when the first buyer's approval arrives, the worker sends the refund to the processor,
    # and the processor's settlement file of the day is reconciled
    assert _processor_calls_back(client, late_start) == "ACTION=POSTAUTH"
    run_worker()
    lines = _settle_today(tmp_path)

    # then the late buyer got everything back through the processor
    assert Order.objects.get(pk=late_order.pk).status == OrderStatus.CANCELLED
    refund = Refund.objects.get(intent__order=late_order)
    assert (refund.method, refund.status, refund.amount) == (
        RefundMethod.GATEWAY,
        RefundStatus.SUCCEEDED,
        late_order.total_amount,
    )
    assert PaymentIntent.objects.get(order=late_order).status == IntentStatus.REFUNDED
    # and every line of the file was matched: two purchases, one refund
    assert sorted((line["type"], line["oid"]) for line in lines) == sorted(
        [
            ("PURCHASE", late_start.gateway_order_id),
            ("PURCHASE", other_start.gateway_order_id),
            ("REFUND", late_start.gateway_order_id),
        ]
    )
    assert set(SettlementLine.objects.values_list("kind", flat=True)) == {
        SettlementLineKind.MATCHED
    }
    # and the ledger holds every movement at the processor: the processor owes nothing more,
    # its fees on both purchases are expenses, nothing is owed to the late buyer any more,
    # the bank holds what the processor paid net of the refund, the shop's escrow only the
    # order it really sold
    fees = sum(_minor(line["fee_amount"]) for line in lines)
    late_fee = next(
        _minor(line["fee_amount"])
        for line in lines
        if (line["type"], line["oid"]) == ("PURCHASE", late_start.gateway_order_id)
    )
    assert late_fee > 0
    assert _balance(accounting.clearing_key("cmi")) == 0
    assert _balance(accounting.fees_key("cmi")) == fees
    assert _balance(accounting.REFUNDS) == 0
    assert _balance(accounting.BANK) == sum(_minor(line["net_amount"]) for line in lines)
    assert _balance(accounting.BANK) == other_order.total_amount - fees
    shop_id = other_order.sub_orders.get().shop_id
    assert _balance(accounting.escrow_key(shop_id)) == other_order.total_amount


@pytest.mark.django_db
def test_a_late_wallet_payment_is_captured_and_owed_back_to_the_buyer(client):
    # given a wallet order that expired and whose one piece another buyer took
    late_order = make_unpaid_order(
        products=[(make_active_product(stock_quantity=1), 1)], payment_method="wallet"
    )
    start = services.start_payment(order=late_order, language="fr")
    _expire_and_sell_to_another_buyer(late_order)
    body, signature = signed_wallet_body(
        {
            "event_id": "evt-late-1",
            "bill_number": start.gateway_order_id,
            "reference": late_order.reference,
            "amount": cmi_protocol.format_amount(late_order.total_amount),
            "currency": "504",
            "status": "approved",
            "transaction_id": "WLT-LATE-1",
        }
    )

    # when the wallet's approval arrives, twice
    for _ in range(2):
        response = client.post(
            WALLET_CALLBACK,
            body,
            content_type="application/json",
            headers={"X-Wallet-Signature": signature},
        )
        assert (response.status_code, response.content) == (200, b"ok")

    # then an operator pays it back by hand, and until then the ledger says the wallet holds
    # the money for us and we owe it to the buyer (once)
    refund = Refund.objects.get(intent__order=late_order)
    assert (refund.method, refund.status, refund.amount) == (
        RefundMethod.MANUAL,
        RefundStatus.REQUESTED,
        late_order.total_amount,
    )
    assert _balance(accounting.clearing_key("wallet")) == late_order.total_amount
    assert _balance(accounting.REFUNDS) == late_order.total_amount


@pytest.mark.django_db
def test_a_payment_the_order_has_not_recorded_yet_is_refunded_only_once_it_is() -> None:
    # given a card payment taken by the processor whose order service failed to record it
    # (the periodic complete_unrecorded_payments finishes that)
    order = make_unpaid_order(payment_method="card")
    start = services.start_payment(order=order, language="fr")
    PaymentAttempt.objects.filter(gateway_order_id=start.gateway_order_id).update(
        status=AttemptStatus.SUCCEEDED, transaction_id="T-UNRECORDED-1"
    )
    PaymentIntent.objects.filter(order=order).update(status=IntentStatus.SUCCEEDED)

    def refund(key: str) -> Refund:
        return services.refund_payment(
            order=order, amount=Money(10_000, "MAD"), reason="Damaged.", key=key, actor=None
        )

    # when a moderator refunds part of it, then nothing moves: no parcel would follow it
    with pytest.raises(RefundPaymentNotRecorded):
        refund("early")
    assert Refund.objects.count() == 0

    # when the order is told, then the same refund is given and booked
    assert services.complete_unrecorded_payments() == 1
    assert refund("after").amount == 10_000
    assert _balance(accounting.REFUNDS) == 10_000
