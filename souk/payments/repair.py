"""The periodic repair of payments whose callback never came (or was not confirmed).

An attempt of a gateway with a status query (the card, the wallet) still open once its
payment session is over may have been approved or refused while its callback was lost, refused
(the card's FAILURE while the status API was unreachable) or never sent. The repair asks the
gateway's status (fetch_status) for each such attempt of the last REPAIR_WINDOW, and records
what it says exactly as the callback would have been:

- approved for the intent's amount and currency: recorded as paid. A pre-authorising gateway's
  approval (the card) is first captured through its API (`PostAuth`, unless already captured);
  the wallet's approval is the payment itself, there is nothing to capture;
- declined, when the gateway's decline is final (the wallet's "rejected"): recorded as failed,
  the stock released (callbacks.record_failure). The card's status query also says "declined"
  for an order it does not know: that attempt is left to expire with its order;
- pending, unknown, another amount or currency, or the gateway unreachable: nothing changes
  (asked again next run).

Attempts older than the window are left to the settlement reconciliation: an approval never
captured lapses at the processor.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from souk.core import batch
from souk.core.money import NUMERIC_CODES
from souk.orders import services as orders
from souk.payments import locks, notices
from souk.payments.callbacks import alert_not_captured, record_failure, tell_order
from souk.payments.gateways import registry
from souk.payments.gateways.base import (
    CallbackOutcome,
    CallbackResult,
    CaptureRequest,
    Gateway,
    GatewayError,
)
from souk.payments.models import (
    OPEN_ATTEMPT_STATUSES,
    PAID_INTENT_STATUSES,
    AttemptStatus,
    PaymentAttempt,
)
from souk.payments.transitions import move_intent

logger = logging.getLogger("souk.payments")

# How long after its session an open attempt is still asked about.
REPAIR_WINDOW = timedelta(hours=2)


def _session() -> timedelta:
    return timedelta(minutes=int(orders.reservation_minutes()))


def list_attempts_to_repair(*, now: datetime) -> list[int]:
    """Open attempts of gateways with a status query whose session is over, of the last
    window, whose intent is not paid."""
    ended_before = now - _session()
    return list(
        PaymentAttempt.objects.filter(
            gateway__in=registry.gateways_with_status_query(),
            status__in=OPEN_ATTEMPT_STATUSES,
            created_at__lt=ended_before,
            created_at__gte=ended_before - REPAIR_WINDOW,
        )
        .exclude(intent__status__in=PAID_INTENT_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def repair_unconfirmed_payments(*, now: datetime | None = None) -> int:
    """Ask the gateways about open attempts past their session; record (capturing first when
    the gateway needs it) what they confirm. The number of payments recorded as paid."""
    moment = now or timezone.now()
    # Each repair asks the gateway outside any transaction and records in its own.
    return batch.for_each(
        "payments.repair_unconfirmed_payments",
        list_attempts_to_repair(now=moment),
        repair,
        atomic=False,
    ).done


def repair(attempt_id: int) -> bool:
    """Ask about one attempt; True when it was recorded as paid. A final decline is recorded
    as failed. Unreachable gateway, pending or unknown payment, another amount or currency:
    nothing changes (asked again next run)."""
    attempt = PaymentAttempt.objects.select_related("intent").get(pk=attempt_id)
    gateway = registry.get_gateway(attempt.gateway)
    if not gateway.has_status_query:
        return False
    intent = attempt.intent
    try:
        status = gateway.fetch_status(attempt.gateway_order_id)
    except GatewayError as error:
        logger.warning("Repair of %s: status not asked: %s", attempt.gateway_order_id, error)
        return False
    if status is None:
        return False  # pending, or unknown to the gateway
    if status.outcome != CallbackOutcome.APPROVED:
        if gateway.status_decline_is_final:
            _record_declined(attempt, status)
        return False
    expected_currency = NUMERIC_CODES.get(intent.currency, "")
    if status.amount != intent.amount or status.currency != expected_currency:
        logger.error(
            "Repair of %s: the gateway approved another amount or currency",
            attempt.gateway_order_id,
        )
        return False
    if not _capture(gateway, attempt, status):
        return False
    return _record_paid(attempt, status)


def _capture(gateway: Gateway, attempt: PaymentAttempt, status: CallbackResult) -> bool:
    """Capture a confirmed approval of a pre-authorising gateway (outside any transaction: no
    row stays locked while we wait); True when the money is taken. A gateway that does not
    pre-authorise (the wallet) took it with its approval."""
    capturing = registry.get_pre_authorizing_gateway(gateway.code)
    if capturing is None or status.is_captured:
        return True
    try:
        captured = capturing.capture(
            CaptureRequest(
                gateway_order_id=attempt.gateway_order_id,
                transaction_id=status.transaction_id,
                amount=attempt.intent.amount,
                currency=attempt.intent.currency,
            )
        )
    except GatewayError as error:
        logger.warning("Repair of %s: capture not sent: %s", attempt.gateway_order_id, error)
        return False
    if not captured.is_approved:
        logger.error(
            "Repair of %s: capture declined (%s)", attempt.gateway_order_id, captured.error_code
        )
        return False
    return True


def _record_paid(found: PaymentAttempt, status: CallbackResult) -> bool:
    """Record a taken approval as its callback would have; True when the intent became paid."""
    with transaction.atomic():
        intent = locks.intent(found.intent_id)
        attempt = locks.attempt(found.pk)
        if attempt.status not in OPEN_ATTEMPT_STATUSES:
            return False  # its callback came meanwhile and decided
        if intent.status in PAID_INTENT_STATUSES:
            # Another attempt paid the order while this one was taken: money taken twice,
            # for an operator to refund.
            attempt.status = AttemptStatus.NOT_CAPTURED
            attempt.transaction_id = status.transaction_id
            attempt.error_message = "taken by the repair after another approval paid"
            attempt.completed_at = timezone.now()
            attempt.save(
                update_fields=["status", "transaction_id", "error_message", "completed_at"]
            )
            alert_not_captured(
                attempt,
                transaction_id=status.transaction_id,
                reason=notices.CAPTURED_AFTER_PAYMENT,
            )
            return False
        attempt.status = AttemptStatus.SUCCEEDED
        attempt.transaction_id = status.transaction_id
        attempt.authorization_code = status.authorization_code
        attempt.error_code = ""
        attempt.error_message = ""
        attempt.completed_at = timezone.now()
        attempt.save(
            update_fields=[
                "status",
                "transaction_id",
                "authorization_code",
                "error_code",
                "error_message",
                "completed_at",
            ]
        )
        move_intent(
            intent,
            action="succeed",
            attempt=attempt,
            note=f"confirmed by the status query: {status.transaction_id}",
        )
        tell_order(intent)
    logger.info("Repair of %s: recorded as paid", attempt.gateway_order_id)
    return True


def _record_declined(found: PaymentAttempt, status: CallbackResult) -> None:
    """Record a final decline as a declined callback would (the stock released)."""
    with transaction.atomic():
        intent = locks.intent(found.intent_id)
        attempt = locks.attempt(found.pk)
        if attempt.status not in OPEN_ATTEMPT_STATUSES:
            return  # its callback came meanwhile and decided
        _verdict, note = record_failure(intent, attempt, status)
    logger.info("Repair of %s: recorded as declined %s", found.gateway_order_id, note)
