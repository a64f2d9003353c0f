"""`ledger_check` rule 10: every movement of money at the processor is a ledger movement. Each
rule holds after the real services and names what is broken when money moves at the processor
without its entry (issue #14, defect 5)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from souk.catalog.tests.factories import make_active_product
from souk.ledger.selectors import check_ledger
from souk.orders import services as orders
from souk.orders.models import Order
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services as payments
from souk.payments.gateways.cmi_protocol import format_amount
from souk.payments.models import (
    PaymentIntent,
    Refund,
    RefundStatus,
    SettlementImport,
    SettlementLineKind,
)
from souk.payments.tests.factories import cmi_callback_fields

pytestmark = pytest.mark.django_db

HEADER = (
    "settlement_date,transaction_date,oid,trans_id,auth_code,type,amount,currency,"
    "fee_amount,net_amount,card_brand,masked_pan\n"
)


def _rules() -> list[tuple[str, str, str]]:
    return [
        (violation.rule, violation.subject, violation.detail)
        for violation in check_ledger()
        if violation.rule in ("capture", "refund", "settlement", "payment")
    ]


def _paid_by_card() -> tuple[Order, str]:
    """An order paid by card through its callback; the gateway's order id."""
    order = make_unpaid_order(payment_method="card")
    start = payments.start_payment(order=order, language="fr")
    assert payments.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    return order, start.gateway_order_id


def _late_by_card() -> Order:
    """A card payment approved after its order expired and its one piece was sold."""
    order = make_unpaid_order(
        products=[(make_active_product(stock_quantity=1), 1)], payment_method="card"
    )
    start = payments.start_payment(order=order, language="fr")
    later = timezone.now() + datetime.timedelta(minutes=orders.reservation_minutes() + 1)
    orders.expire_unpaid_orders(now=later)
    make_unpaid_order(products=[(order.sub_orders.get().lines.get().product, 1)])
    assert payments.handle_cmi_callback(params=cmi_callback_fields(start)) == "ACTION=POSTAUTH"
    return order


@pytest.mark.ledger_left_broken
def test_the_check_finds_a_captured_payment_the_ledger_never_booked() -> None:
    # given a late payment recorded by the services: captured, owed back to the buyer
    _late_by_card()
    assert _rules() == []
    # when another one is written straight into payments, bypassing the ledger (the capture
    # at the processor, the full refund asked)
    order = make_unpaid_order(payment_method="card")
    intent = PaymentIntent.objects.create(
        order=order, amount=order.total_amount, currency="MAD", method="card", status="succeeded"
    )
    Refund.objects.create(
        intent=intent,
        amount=order.total_amount,
        currency="MAD",
        idempotency_key=f"refund:order:{order.reference}",
        method="gateway",
    )

    # then only the capture rule sees it (the payment's net is zero, as is the ledger's)
    assert _rules() == [
        (
            "capture",
            f"order {order.reference}",
            f"the processor captured {order.total_amount}, the ledger booked 0",
        )
    ]


@pytest.mark.ledger_left_broken
def test_the_check_finds_a_gateway_refund_the_ledger_never_owed() -> None:
    # given a paid card order, in the ledger
    order, _oid = _paid_by_card()
    assert _rules() == []

    # when the processor paid back 100 MAD of it, written straight into payments
    Refund.objects.create(
        intent=PaymentIntent.objects.get(order=order),
        amount=10_000,
        currency="MAD",
        idempotency_key="refund:stray",
        method="gateway",
        status=RefundStatus.SUCCEEDED,
        gateway_reference="SBX-STRAY-1",
        completed_at=timezone.now(),
    )

    # then
    assert (
        "refund",
        f"order {order.reference}",
        "the processor refunded 10000, the ledger owed the buyer 0",
    ) in _rules()


def _reconcile(tmp_path: Path, text: str) -> None:
    path = tmp_path / "settlement.csv"
    path.write_text(text, encoding="utf-8")
    call_command("reconcile_settlement", str(path), stdout=io.StringIO())


@pytest.mark.ledger_left_broken
def test_the_check_reports_settlement_lines_nobody_booked(tmp_path) -> None:
    # given a paid card order, its purchase settled by the processor with a 7.75 MAD fee
    order, oid = _paid_by_card()
    day = timezone.localdate().isoformat()
    paid = format_amount(order.total_amount)
    matched = f"{day},{day},{oid},T{oid},123456,PURCHASE,{paid},504,7.75,0.00,VISA,400000***0010\n"
    _reconcile(tmp_path, HEADER + matched)
    assert _rules() == []

    # when the next file has a purchase Souk does not know and a refund it never paid
    unknown = f"{day},{day},SK-UNKNOWN-1,SBX9,123456,PURCHASE,120.00,504,2.80,117.20,VISA,x\n"
    refund = f"{day},{day},{oid},SBX-R-9,,REFUND,50.00,504,0.00,-50.00,VISA,x\n"
    _reconcile(tmp_path, HEADER + unknown + refund)

    # then the check names each line and what the processor did that the ledger lacks
    second = SettlementImport.objects.order_by("pk").last()
    assert second is not None
    missing = SettlementLineKind.MISSING_IN_SOUK
    assert _rules() == [
        ("settlement", f"import {second.pk} line 2", f"PURCHASE SBX9 ({missing}): " + detail)
        for detail in (
            "processor_fee 280, the ledger booked 0",
            "processor_settled 11720, the ledger booked 0",
        )
    ] + [
        (
            "settlement",
            f"import {second.pk} line 3",
            f"REFUND SBX-R-9 ({missing}): refund_settled 5000, the ledger booked 0",
        )
    ]
    errors = io.StringIO()
    with pytest.raises(CommandError, match="3 violation"):
        call_command("ledger_check", stdout=io.StringIO(), stderr=errors)
    assert "settlement: import" in errors.getvalue()
