"""Use cases of refunds: a sub-order's refund, a moderator's partial or full refund (four
eyes above SOUK_REFUND_APPROVAL_ABOVE), the refund of a payment that came too late, and sending
gateway refunds once. Re-exported from services.py, where callers find them.

A refund never gives back more than was paid. See docs/payments.md.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Sum
from django.utils import timezone

from souk.accounts.models import User
from souk.core import audit, batch
from souk.core.models import AuditEntry
from souk.core.money import Money
from souk.ledger import accounting
from souk.orders import services as orders
from souk.orders.models import Order, SubOrder
from souk.payments import locks
from souk.payments.errors import (
    NothingToRefund,
    RefundAmountInvalid,
    RefundApprovedByRequester,
    RefundExceedsPayment,
    RefundNeedsApproval,
    RefundNotPossible,
    RefundPaymentNotRecorded,
)
from souk.payments.gateways import cmi, registry
from souk.payments.gateways.base import GatewayError, RefundRequest
from souk.payments.models import (
    PAID_INTENT_STATUSES,
    AttemptStatus,
    PaymentIntent,
    Refund,
    RefundMethod,
    RefundStatus,
)
from souk.payments.transitions import move_intent as _move_intent

logger = logging.getLogger("souk.payments")


def _refund_method(intent: PaymentIntent) -> str:
    # Only card payments are refunded through a gateway; cash on delivery, wallet payments
    # (no refund call in the wallet protocol yet) and payments we hold no transaction for are
    # paid back by an operator's bank transfer.
    paid = intent.attempts.filter(status=AttemptStatus.SUCCEEDED).order_by("-number").first()
    if paid is not None and paid.gateway == cmi.CODE:
        return RefundMethod.GATEWAY
    return RefundMethod.MANUAL


def _create_refund(
    *, intent: PaymentIntent, key: str, amount: int, sub_order_reference: str, reason: str
) -> Refund:
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    method = _refund_method(intent)
    try:
        with transaction.atomic():
            refund = Refund.objects.create(
                intent=intent,
                sub_order_reference=sub_order_reference,
                amount=amount,
                currency=intent.currency,
                idempotency_key=key,
                method=method,
                reason=reason,
            )
    except IntegrityError:
        return Refund.objects.get(idempotency_key=key)
    if method == RefundMethod.GATEWAY:
        # The task wraps the services that re-export this module: imported when used.
        from souk.payments import tasks

        transaction.on_commit(partial(tasks.enqueue_process_refund, refund.pk))
    else:
        logger.info("Manual refund %s to be paid by bank transfer", key)
    return refund


def refund_sub_order(*, sub_order: SubOrder, reason: str) -> Refund:
    """Give the buyer back what is left of a paid sub-order (total minus refunded).

    Called by orders inside its transaction. Idempotent on `refund:<sub-order reference>`: a
    second call returns the first refund. Card payments are refunded through the gateway after
    commit (a task); cash on delivery is recorded as a manual refund for an operator."""
    key = f"refund:{sub_order.reference}"
    existing = Refund.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    amount = sub_order.total_amount - sub_order.refunded_amount
    if amount <= 0:
        raise NothingToRefund()
    order = sub_order.order
    with transaction.atomic():
        intent, created = PaymentIntent.objects.get_or_create(
            order=order,
            defaults={
                "amount": order.total_amount,
                "currency": order.currency,
                "method": order.payment_method,
            },
        )
        if created:
            logger.warning("Order %s refunded without a payment record", order.reference)
        # Locked so that a concurrent partial refund (refund_payment) cannot take the same money.
        intent = locks.intent(intent.pk)
        existing = Refund.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        # Never more than was paid: partial refunds of the order already gave some of it back.
        amount = min(amount, intent.amount - _committed_refund_amount(intent))
        if amount <= 0:
            raise NothingToRefund()
        return _create_refund(
            intent=intent,
            key=key,
            amount=amount,
            sub_order_reference=sub_order.reference,
            reason=reason,
        )


# Refunds that give (or will give) money back: a failed one gave nothing.
COMMITTED_REFUND_STATUSES = (
    RefundStatus.REQUESTED,
    RefundStatus.SENDING,
    RefundStatus.SUCCEEDED,
)


def _committed_refund_amount(intent: PaymentIntent) -> int:
    total = intent.refunds.filter(status__in=COMMITTED_REFUND_STATUSES).aggregate(
        total=Sum("amount")
    )["total"]
    return int(total or 0)


def refund_payment(
    *,
    order: Order,
    amount: Money,
    reason: str,
    key: str,
    actor: User | None,
    approved_by: User | None = None,
) -> Refund:
    """Give back `amount` of what the buyer paid for `order` (a partial or full refund asked by
    a moderator), through the gateway for a card payment, else by an operator's transfer.

    Idempotent on `key` (at most 48 characters, e.g. the form's one-time token): the same key
    again returns the first refund. The intent is locked, so two concurrent requests never give
    back more than was paid together. Raises RefundAmountInvalid (not above zero, another
    currency), RefundNotPossible (nothing was paid) and RefundExceedsPayment (the refunds,
    failed ones aside, would pass the amount paid).

    Four eyes: a person's refund past a limit of needs_second_person needs `approved_by`,
    another person (refund_approvals.py asks for it), else RefundNeedsApproval."""
    refund_key = f"refund:payment:{key}"[:64]
    with transaction.atomic():
        intent = PaymentIntent.objects.filter(order=order).first()
        if intent is None:
            raise RefundNotPossible()
        # The lock order (docs/architecture.md): the order and its parcels, which the refund is
        # shared among, before the intent; the ledger's accounts come last.
        locks.order_and_sub_orders(order.pk)
        intent = locks.intent(intent.pk)
        existing = Refund.objects.filter(idempotency_key=refund_key).first()
        if existing is not None:
            return existing
        if approved_by is not None and actor is not None and approved_by.pk == actor.pk:
            raise RefundApprovedByRequester()
        # Inside the intent's lock: two refunds of one order are counted one after the other.
        if (
            actor is not None
            and approved_by is None
            and needs_second_person(order=order, amount=amount, actor=actor)
        ):
            raise RefundNeedsApproval()
        check_refund_possible(intent=intent, amount=amount)
        refund = _create_refund(
            intent=intent,
            key=refund_key,
            amount=amount.amount,
            sub_order_reference="",
            reason=reason.strip(),
        )
        # The parcels and the ledger learn of it in the same transaction.
        orders.record_partial_refund(order_id=order.pk, amount=amount, key=refund_key)
        data: dict[str, object] = {
            "order": order.reference,
            "amount": amount.amount,
            "currency": amount.currency,
        }
        if approved_by is not None:
            data["approved_by"] = approved_by.pk
        audit.record(
            actor=actor,
            action="payments.refund_requested",
            target=refund,
            reason=reason.strip(),
            data=data,
        )
    return refund


# How far back a person's refunds given alone are added up.
SOLO_REFUND_WINDOW = timedelta(hours=24)


def _given_alone() -> models.QuerySet[AuditEntry]:
    # Every refund a person asked is audited by refund_payment; one a second person approved
    # carries `approved_by`. Failed refunds still count: they were meant to give money back.
    return AuditEntry.objects.filter(action="payments.refund_requested").exclude(
        data__has_key="approved_by"
    )


def _total(entries: models.QuerySet[AuditEntry]) -> int:
    return sum(int(entry.data.get("amount", 0)) for entry in entries.only("data"))


def needs_second_person(*, order: Order, amount: Money, actor: User) -> bool:
    """Whether `actor` giving back `amount` of `order` alone would pass a four-eyes limit:
    the refunds given alone on this order, by anyone, with this one above
    SOUK_REFUND_APPROVAL_ABOVE, or `actor`'s refunds given alone in the last 24 hours, over
    every order, above SOUK_REFUND_APPROVAL_DAILY_ABOVE. Splitting a large refund into small
    ones therefore needs a second person as the large one does."""
    on_order = _total(_given_alone().filter(data__order=order.reference))
    if on_order + amount.amount > settings.SOUK_REFUND_APPROVAL_ABOVE:
        return True
    since = timezone.now() - SOLO_REFUND_WINDOW
    by_actor = _total(_given_alone().filter(actor=actor, at__gte=since))
    return by_actor + amount.amount > settings.SOUK_REFUND_APPROVAL_DAILY_ABOVE


def check_refund_possible(*, intent: PaymentIntent, amount: Money) -> None:
    """Raise unless `amount` can be given back of the (locked) `intent` now: RefundAmountInvalid,
    RefundNotPossible, RefundPaymentNotRecorded (paid, the order not told yet) or
    RefundExceedsPayment, as refund_payment describes."""
    if amount.currency != intent.currency or not amount.is_positive():
        raise RefundAmountInvalid()
    if intent.status not in PAID_INTENT_STATUSES:
        raise RefundNotPossible()
    if intent.order_recorded_at is None:
        # Its parcels are not paid yet: the refund would move money that no ledger entry
        # follows. The periodic complete_unrecorded_payments records it within minutes.
        raise RefundPaymentNotRecorded()
    already = _committed_refund_amount(intent)
    if already + amount.amount > intent.amount:
        raise RefundExceedsPayment(
            detail={"paid": intent.amount, "refunded": already, "asked": amount.amount}
        )


def _request_late_payment_refund(intent: PaymentIntent) -> Refund:
    # The payment came after the order expired and its works were sold: all of it goes back.
    # The money was captured all the same: the ledger receives it, owed to the buyer, in the
    # payment's transaction (docs/ledger.md, "late payment captured").
    paid = intent.attempts.filter(status=AttemptStatus.SUCCEEDED).order_by("-number").first()
    if paid is not None:
        accounting.record_late_payment_captured(
            gateway=paid.gateway,
            order_reference=intent.order.reference,
            amount=Money(intent.amount, intent.currency),
        )
    return _create_refund(
        intent=intent,
        key=f"refund:order:{intent.order.reference}",
        amount=intent.amount - intent.refunded_amount,
        sub_order_reference="",
        reason="sold_out",
    )


def process_refund(*, refund_id: int) -> Refund:
    """Send a requested gateway refund to its gateway once and record the answer.

    The refund is claimed (requested → sending) by a conditional UPDATE, so two runs never
    both call the gateway. Unreachable gateway: back to requested, sent again later
    (send_requested_refunds). Declined: failed, for an operator."""
    claimed = Refund.objects.filter(
        pk=refund_id, status=RefundStatus.REQUESTED, method=RefundMethod.GATEWAY
    ).update(status=RefundStatus.SENDING)
    refund = Refund.objects.select_related("intent").get(pk=refund_id)
    if not claimed:
        return refund
    paid = refund.intent.attempts.filter(status=AttemptStatus.SUCCEEDED).order_by("-number").first()
    if paid is None:
        Refund.objects.filter(pk=refund_id).update(
            status=RefundStatus.FAILED, error_message="No paid attempt to refund."
        )
        return Refund.objects.get(pk=refund_id)
    gateway = registry.get_gateway(paid.gateway)
    try:
        result = gateway.refund(
            RefundRequest(
                gateway_order_id=paid.gateway_order_id,
                transaction_id=paid.transaction_id,
                amount=refund.amount,
                currency=refund.currency,
                idempotency_key=refund.idempotency_key,
            )
        )
    except GatewayError as error:
        logger.warning("Refund %s not sent: %s", refund.idempotency_key, error)
        Refund.objects.filter(pk=refund_id, status=RefundStatus.SENDING).update(
            status=RefundStatus.REQUESTED, error_message=str(error)[:255]
        )
        return Refund.objects.get(pk=refund_id)
    with transaction.atomic():
        intent = locks.intent(refund.intent_id)
        refund = locks.refund(refund_id)
        refund.gateway_reference = result.gateway_reference
        refund.completed_at = timezone.now()
        if result.is_approved:
            refund.status = RefundStatus.SUCCEEDED
            refund.error_message = ""
            intent.refunded_amount = min(intent.amount, intent.refunded_amount + refund.amount)
            intent.save(update_fields=["refunded_amount"])
            if intent.status in PAID_INTENT_STATUSES:
                action = "refund" if intent.refunded_amount >= intent.amount else "refund_partially"
                _move_intent(intent, action=action, attempt=paid, note=refund.idempotency_key)
        else:
            refund.status = RefundStatus.FAILED
            refund.error_message = f"{result.error_code} {result.error_message}".strip()[:255]
            logger.error("Refund %s declined by the gateway", refund.idempotency_key)
        refund.save()
    return refund


def send_requested_refunds(*, older_than_minutes: int = 5) -> int:
    """Send again the gateway refunds still requested (a periodic task); the number sent."""
    cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
    waiting = Refund.objects.filter(
        status=RefundStatus.REQUESTED, method=RefundMethod.GATEWAY, requested_at__lt=cutoff
    ).values_list("pk", flat=True)
    # process_refund calls the gateway outside any transaction and records in its own.
    return batch.for_each(
        "payments.send_requested_refunds",
        waiting,
        lambda refund_id: process_refund(refund_id=refund_id).status != RefundStatus.REQUESTED,
        atomic=False,
    ).done
