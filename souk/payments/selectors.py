"""Reads of payments used by the pages and other apps (STYLE.md §2)."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from souk.ledger.facts import SettledLine
from souk.orders.models import Order, OrderStatus
from souk.payments.gateways import cmi
from souk.payments.models import (
    OPEN_ATTEMPT_STATUSES,
    PAID_INTENT_STATUSES,
    AttemptStatus,
    CodRemittance,
    IntentStatus,
    PaymentAttempt,
    PaymentIntent,
    Refund,
    RefundApproval,
    RefundApprovalStatus,
    RefundMethod,
    RefundStatus,
    SettlementLine,
)

# Who may refund part of an order from the payments pages (moderators and administrators).
REFUND_PERMISSION = "accounts.moderate_content"


class PaymentStage(enum.Enum):
    """What the buyer is told about their payment."""

    NOT_STARTED = "not_started"
    WAITING = "waiting"  # an attempt is open: confirming until the gateway's callback arrives
    PAID = "paid"
    FAILED = "failed"  # the last attempt failed: the buyer may try again
    CASH_ON_DELIVERY = "cash_on_delivery"
    CLOSED = "closed"  # the order is no longer payable (cancelled)

    # Templates compare with `stages.PAID`: without this they would call the class instead.
    do_not_call_in_templates = enum.nonmember(True)


@dataclass(frozen=True, slots=True)
class PaymentState:
    stage: PaymentStage
    intent: PaymentIntent | None
    attempt: PaymentAttempt | None

    @property
    def is_final(self) -> bool:
        return self.stage not in (PaymentStage.WAITING, PaymentStage.NOT_STARTED)


def get_payment_state(order: Order) -> PaymentState:
    """The state the callbacks produced for `order`'s payment (never what a browser said)."""
    intent = PaymentIntent.objects.filter(order=order).first()
    attempt = intent.attempts.order_by("-number").first() if intent is not None else None
    return payment_state_of(order, intent, attempt)


def payment_state_of(
    order: Order, intent: PaymentIntent | None, attempt: PaymentAttempt | None
) -> PaymentState:
    """The state of `order`'s payment from its intent and latest attempt, already read."""
    if intent is not None and intent.status in PAID_INTENT_STATUSES:
        return PaymentState(PaymentStage.PAID, intent, attempt)
    if order.payment_method == "cod" and order.status in (OrderStatus.PLACED, OrderStatus.CLOSED):
        return PaymentState(PaymentStage.CASH_ON_DELIVERY, intent, attempt)
    if order.status in (OrderStatus.PLACED, OrderStatus.CLOSED):
        return PaymentState(PaymentStage.PAID, intent, attempt)
    if order.status == OrderStatus.CANCELLED:
        return PaymentState(PaymentStage.CLOSED, intent, attempt)
    if attempt is None or intent is None:
        return PaymentState(PaymentStage.NOT_STARTED, intent, attempt)
    if attempt.status == AttemptStatus.FAILED or intent.status == IntentStatus.FAILED:
        return PaymentState(PaymentStage.FAILED, intent, attempt)
    if attempt.status in OPEN_ATTEMPT_STATUSES:
        return PaymentState(PaymentStage.WAITING, intent, attempt)
    return PaymentState(PaymentStage.NOT_STARTED, intent, attempt)


def get_attempt_by_gateway_order_id(gateway_order_id: str) -> PaymentAttempt | None:
    return (
        PaymentAttempt.objects.select_related("intent__order")
        .filter(gateway_order_id=gateway_order_id)
        .first()
    )


def get_returning_order_reference(*, fields: Mapping[str, str]) -> str | None:
    """The order a browser return from the card page is about (its `oid`), if its fields are
    the processor's and verify (cmi.verify); None when they do not or the attempt is unknown."""
    if not cmi.verify(fields):
        return None
    attempt = get_attempt_by_gateway_order_id(fields["oid"])
    return attempt.intent.order.reference if attempt is not None else None


def list_net_captured_by_order() -> dict[int, int]:
    """Per order paid by card or wallet: what was captured less every refund asked for it
    (minor units; a refund is owed to the buyer from its request on, whatever the gateway says
    yet). The ledger check compares it with what the ledger received for the order's parcels."""
    refunds = (
        Refund.objects.filter(intent=OuterRef("pk"))
        .order_by()
        .values("intent")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return dict(
        PaymentIntent.objects.filter(
            status__in=[
                IntentStatus.SUCCEEDED,
                IntentStatus.PARTIALLY_REFUNDED,
                IntentStatus.REFUNDED,
            ]
        )
        .exclude(method="cod")
        .annotate(net=F("amount") - Coalesce(Subquery(refunds), Value(0)))
        .values_list("order_id", "net")
    )


def get_order_to_refund(*, reference: str) -> Order:
    """The order with this reference, for the refund page (raises Order.DoesNotExist)."""
    return Order.objects.get(reference=reference)


def list_refunds(order: Order) -> QuerySet[Refund]:
    """The refunds of `order`, newest first."""
    return Refund.objects.filter(intent__order=order).order_by("-requested_at", "-id")


def list_refund_approvals(order: Order) -> QuerySet[RefundApproval]:
    """The large refunds of `order` asked for approval, newest first, with who asked/decided."""
    return RefundApproval.objects.filter(order=order).select_related(
        "requested_by", "decided_by", "sub_order"
    )


def list_awaiting_refund_approvals() -> QuerySet[RefundApproval]:
    """Every refund awaiting a second person, oldest first (the approval queue)."""
    return (
        RefundApproval.objects.filter(status=RefundApprovalStatus.AWAITING)
        .select_related("order", "sub_order", "requested_by")
        .order_by("requested_at", "id")
    )


def list_refund_approvals_of_reference(reference: str) -> QuerySet[RefundApproval]:
    """The refunds awaiting or given approval on the order with this reference."""
    return RefundApproval.objects.filter(order__reference=reference)


def list_cod_remittances(*, since: datetime.datetime | None = None) -> QuerySet[CodRemittance]:
    """Cash-on-delivery remittances recorded (imported) since `since`, oldest first: what the
    ledger posts as cash received from carriers."""
    remittances = CodRemittance.objects.select_related("sub_order", "intent__order")
    if since is not None:
        remittances = remittances.filter(imported_at__gte=since)
    return remittances.order_by("imported_at", "id")


# --- What moved at the processor (read by the ledger check) ------------------------------------


def list_captured_by_order() -> dict[int, tuple[str, int]]:
    """Per order paid by card or wallet, whether or not it was placed: its reference and the
    amount the processor captured (minor units). A paid intent is a captured payment: an
    approval that was not captured leaves the intent unpaid (or paid by another attempt)."""
    rows = (
        PaymentIntent.objects.filter(status__in=PAID_INTENT_STATUSES)
        .exclude(method="cod")
        .values_list("order_id", "order__reference", "amount")
    )
    return {order_id: (reference, amount) for order_id, reference, amount in rows}


def list_gateway_refunds_paid_by_order() -> dict[int, tuple[str, int]]:
    """Per order, its reference and what the processor paid back to the buyer (the gateway
    refunds that succeeded, minor units)."""
    rows = (
        Refund.objects.filter(method=RefundMethod.GATEWAY, status=RefundStatus.SUCCEEDED)
        .values("intent__order_id", "intent__order__reference")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {
        row["intent__order_id"]: (row["intent__order__reference"], row["total"]) for row in rows
    }


def list_settlement_lines_read() -> list[SettledLine]:
    """Every line read from a settlement file (not Souk's own "missing in the file" lines),
    first imported first."""
    rows = (
        SettlementLine.objects.filter(line_number__isnull=False)
        .order_by("settlement_import_id", "line_number", "pk")
        .values_list(
            "settlement_import_id",
            "line_number",
            "transaction_type",
            "transaction_id",
            "file_amount",
            "fee_amount",
            "kind",
        )
    )
    return [
        SettledLine(import_id, line or 0, kind_of_line, trans_id, amount or 0, fee or 0, kind)
        for import_id, line, kind_of_line, trans_id, amount, fee, kind in rows
    ]
