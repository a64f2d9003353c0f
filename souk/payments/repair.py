"""The periodic repair of card payments whose callback never came (or was not confirmed).

An attempt of a pre-authorising gateway (the card) still open once its payment-page session
is over may have been approved while its callback was lost, refused (FAILURE while the status
API was unreachable) or never sent. The repair asks the processor's status query for each such
attempt of the last REPAIR_WINDOW: an approval for the intent's amount and currency is
captured through the API (`PostAuth`, unless already captured) and then recorded as paid,
exactly as its callback would have been; a declined or unknown order is left alone (the
attempt expires with its order and nothing is charged). Attempts older than the window are
left to the settlement reconciliation: an approval never captured lapses at the processor.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from souk.payments import locks, notices
from souk.payments.callbacks import alert_not_captured, tell_order
from souk.payments.gateways import cmi_protocol, registry
from souk.payments.gateways.base import CallbackOutcome, CaptureRequest, GatewayError
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
    # Imported when called: the orders services import payments at load time.
    from souk.orders import services as orders

    return timedelta(minutes=int(orders.reservation_minutes()))


def list_attempts_to_repair(*, now: datetime) -> list[int]:
    """Open attempts of pre-authorising gateways whose session is over, of the last window,
    whose intent is not paid."""
    ended_before = now - _session()
    return list(
        PaymentAttempt.objects.filter(
            gateway__in=list(registry.PRE_AUTHORIZING_GATEWAYS),
            status__in=OPEN_ATTEMPT_STATUSES,
            created_at__lt=ended_before,
            created_at__gte=ended_before - REPAIR_WINDOW,
        )
        .exclude(intent__status__in=PAID_INTENT_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def repair_unconfirmed_payments(*, now: datetime | None = None) -> int:
    """Ask the processor about open card attempts past their session; capture and record
    what it confirms. The number of payments recorded."""
    moment = now or timezone.now()
    return sum(1 for attempt_id in list_attempts_to_repair(now=moment) if repair(attempt_id))


def repair(attempt_id: int) -> bool:
    """Ask about one attempt; True when it was recorded as paid. Unreachable API, declined or
    unknown order, another amount or currency: nothing changes (asked again next run)."""
    attempt = PaymentAttempt.objects.select_related("intent").get(pk=attempt_id)
    gateway = registry.get_pre_authorizing_gateway(attempt.gateway)
    if gateway is None:
        return False
    intent = attempt.intent
    try:
        status = gateway.fetch_status(attempt.gateway_order_id)
    except GatewayError as error:
        logger.warning("Repair of %s: status not asked: %s", attempt.gateway_order_id, error)
        return False
    if status is None or status.outcome != CallbackOutcome.APPROVED:
        return False
    expected_currency = cmi_protocol.CURRENCY_CODES.get(intent.currency, "")
    if status.amount != intent.amount or status.currency != expected_currency:
        logger.error(
            "Repair of %s: the processor approved another amount or currency",
            attempt.gateway_order_id,
        )
        return False
    if not status.is_captured:
        try:
            captured = gateway.capture(
                CaptureRequest(
                    gateway_order_id=attempt.gateway_order_id,
                    transaction_id=status.transaction_id,
                    amount=intent.amount,
                    currency=intent.currency,
                )
            )
        except GatewayError as error:
            logger.warning("Repair of %s: capture not sent: %s", attempt.gateway_order_id, error)
            return False
        if not captured.is_approved:
            logger.error(
                "Repair of %s: capture declined (%s)",
                attempt.gateway_order_id,
                captured.error_code,
            )
            return False
    with transaction.atomic():
        intent = locks.intent(intent.pk)
        attempt = locks.attempt(attempt.pk)
        if attempt.status not in OPEN_ATTEMPT_STATUSES:
            return False  # its callback came meanwhile and decided
        if intent.status in PAID_INTENT_STATUSES:
            # Another attempt paid the order while this one was captured: money taken twice,
            # for an operator to refund.
            attempt.status = AttemptStatus.NOT_CAPTURED
            attempt.transaction_id = status.transaction_id
            attempt.error_message = "captured by the repair after another approval paid"
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
    logger.info("Repair of %s: captured and recorded", attempt.gateway_order_id)
    return True
