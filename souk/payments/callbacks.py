"""Use cases of the gateways' server-to-server callbacks, and the repair of what they missed.

The callback, never the browser, is the source of truth. A message that is not the gateway's
(field names, signature) is refused before anything else and leaves only a small record (names
escaped, size, reason), never its body. Each verified callback is stored in the inbox
(GatewayCallback) under a unique key inside the transaction that applies it, so a repeated,
late or out-of-order callback has exactly one effect, and the reply the gateway gets is the
reply stored with it. An approval of a pre-authorising gateway (the card) is captured only
when the processor's status query confirms it (same transaction id, amount and currency); an
approval that is not the one recorded for an already paid order is never captured and alerts
the operators. A success marks the attempt and the intent paid and tells the order service in
the same transaction; if telling it fails, the payment stays recorded and
complete_unrecorded_payments finishes the job. A paid intent never goes back to unpaid.
See docs/payments.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.utils import timezone

from souk.core import audit, batch
from souk.core.money import NUMERIC_CODES
from souk.orders import services as orders
from souk.payments import locks, notices, refunds
from souk.payments.gateways import cmi, cmi_protocol, registry, wallet
from souk.payments.gateways.base import (
    CallbackOutcome,
    CallbackResult,
    Gateway,
    GatewayError,
    Verdict,
)
from souk.payments.gateways.registry import gateway_code_for_method
from souk.payments.models import (
    PAID_INTENT_STATUSES,
    AttemptStatus,
    CallbackStatus,
    GatewayCallback,
    IntentStatus,
    PaymentAttempt,
    PaymentIntent,
)
from souk.payments.transitions import move_intent

logger = logging.getLogger("souk.payments")


# --- Receiving ----------------------------------------------------------------------------------


def handle_cmi_callback(
    *, params: Mapping[str, str] | Iterable[tuple[str, str]], size: int | None = None
) -> str:
    """Apply CMI's server-to-server callback; the bare reply text CMI expects.

    `params` are the posted fields (pairs keep a name posted twice), `size` the body's length.
    Not the processor's names, bad hash, another client id, unknown `oid`, wrong amount or
    currency, an approval the status query does not confirm, or the status API unreachable:
    `FAILURE`, nothing changed. Approved and confirmed: paid, `ACTION=POSTAUTH`. Declined:
    attempt failed, stock released, `APPROVED`. Another approval of a paid order: `APPROVED`
    (not captured) and an operator alert. The same callback again: the same reply."""
    items = params.items() if isinstance(params, Mapping) else params
    pairs = [(str(name), str(value)) for name, value in items]
    gateway = registry.get_gateway(cmi.CODE)
    body_size = size if size is not None else len(urlencode(pairs))
    fields = dict(pairs)
    if len(fields) != len(pairs):
        digest = hashlib.sha256(urlencode(pairs).encode("utf-8")).hexdigest()
        return _refuse(
            gateway,
            key=f"cmi:{digest}",
            names=[name for name, _value in pairs],
            size=body_size,
            reason="repeated field name",
        )
    return _handle_callback(gateway, fields=fields, body=b"", signature="", size=body_size)


def handle_wallet_callback(*, body: bytes, signature: str) -> str:
    """Apply the wallet's signed callback; `ok`, or `rejected` when it changed nothing."""
    return _handle_callback(
        registry.get_gateway(wallet.CODE), fields={}, body=body, signature=signature, size=len(body)
    )


def _payload(fields: Mapping[str, str], body: bytes) -> Any:
    if fields:
        return dict(fields)
    try:
        return json.loads(body)
    except ValueError:
        return {"raw": body[:2000].decode("utf-8", "replace")}


def _refuse(gateway: Gateway, *, key: str, names: Iterable[str], size: int, reason: str) -> str:
    """Keep a small record of a message that is not the gateway's (never its body); the
    gateway's rejection reply."""
    reply = gateway.reply(Verdict.REJECTED)
    shown = cmi_protocol.escape_names(names)
    logger.warning(
        "%s message refused (%s, %d bytes); fields: %s", gateway.code, reason, size, shown
    )
    # Its own key space: a refused message never stands in the way of a genuine one.
    refused_key = f"refused:{hashlib.sha256(key.encode('utf-8')).hexdigest()}"
    GatewayCallback.objects.get_or_create(
        gateway=gateway.code,
        idempotency_key=refused_key,
        defaults={
            "payload": {"field_names": shown, "size": size},
            "is_signature_valid": False,
            "status": CallbackStatus.REJECTED,
            "reply": reply,
            "error": reason[:200],
            "handled_at": timezone.now(),
        },
    )
    return reply


@dataclass(frozen=True, slots=True)
class Confirmation:
    """What the processor's status query said before a capture (None: not asked)."""

    status: CallbackResult | None
    is_unreachable: bool = False


NOT_ASKED = Confirmation(status=None)


class CaptureNotConfirmed(Exception):
    """The processor's status could not be asked: reply FAILURE, keep the callback failed,
    change nothing (the repair asks again later)."""


def _may_capture(gateway: Gateway, result: CallbackResult) -> bool:
    # A quick look, without locks, to ask the processor only when a capture is possible.
    if registry.get_pre_authorizing_gateway(gateway.code) is None:
        return False
    if result.outcome != CallbackOutcome.APPROVED:
        return False
    attempt = (
        PaymentAttempt.objects.filter(
            gateway=gateway.code, gateway_order_id=result.gateway_order_id
        )
        .select_related("intent")
        .first()
    )
    return (
        attempt is not None
        and attempt.status not in (AttemptStatus.SUCCEEDED, AttemptStatus.NOT_CAPTURED)
        and attempt.intent.status not in PAID_INTENT_STATUSES
    )


def _confirm(gateway: Gateway, result: CallbackResult) -> Confirmation:
    """Ask the processor for the order's status (outside any transaction: no row stays locked
    while we wait)."""
    if not _may_capture(gateway, result):
        return NOT_ASKED
    try:
        return Confirmation(status=gateway.fetch_status(result.gateway_order_id))
    except GatewayError as error:
        logger.warning(
            "Status of %s not confirmed, the API is unreachable: %s",
            result.gateway_order_id,
            error,
        )
        return Confirmation(status=None, is_unreachable=True)


def _handle_callback(
    gateway: Gateway, *, fields: Mapping[str, str], body: bytes, signature: str, size: int
) -> str:
    result = gateway.read_callback(fields=fields, body=body, signature=signature)
    if not result.is_signature_valid:
        return _refuse(
            gateway,
            key=result.idempotency_key,
            names=fields,
            size=size,
            reason=result.refusal or "bad signature",
        )
    done = GatewayCallback.objects.filter(
        gateway=gateway.code,
        idempotency_key=result.idempotency_key,
        status__in=(CallbackStatus.HANDLED, CallbackStatus.REJECTED),
    ).first()
    if done is not None:
        # The same callback again: no second effect, the same answer.
        return done.reply
    confirmation = _confirm(gateway, result)
    try:
        with transaction.atomic():
            stored = _claim_callback(gateway, result, fields, body)
            if stored.status in (CallbackStatus.HANDLED, CallbackStatus.REJECTED):
                return stored.reply
            verdict, note = _apply_callback(gateway, result, confirmation)
            stored.status = (
                CallbackStatus.REJECTED if verdict == Verdict.REJECTED else CallbackStatus.HANDLED
            )
            stored.reply = gateway.reply(verdict)
            stored.error = note
            stored.handled_at = timezone.now()
            stored.save(update_fields=["status", "reply", "error", "handled_at"])
            return stored.reply
    except CaptureNotConfirmed as error:
        # Nothing applied; a new delivery is processed again and the repair asks later.
        _record_failed_callback(gateway, result, fields, body, error)
        return gateway.reply(Verdict.REJECTED)
    except Exception as error:
        # A technical problem: nothing was applied (the transaction rolled back). The callback
        # is kept as failed for operators, and a new delivery of it is processed again.
        logger.exception("Callback %s could not be processed", result.idempotency_key)
        _record_failed_callback(gateway, result, fields, body, error)
        return gateway.reply(Verdict.REJECTED)


def _claim_callback(
    gateway: Gateway, result: CallbackResult, fields: Mapping[str, str], body: bytes
) -> GatewayCallback:
    """The callback's inbox row, held by this transaction until it commits: inserted (a row
    this transaction inserted is its own until commit, a concurrent delivery's insert waits on
    the unique key), or, when a delivery stored it before, that row locked."""
    try:
        with transaction.atomic():
            return GatewayCallback.objects.create(
                gateway=gateway.code,
                idempotency_key=result.idempotency_key,
                payload=_payload(fields, body),
                is_signature_valid=True,
            )
    except IntegrityError:
        stored = GatewayCallback.objects.only("pk").get(
            gateway=gateway.code, idempotency_key=result.idempotency_key
        )
        return locks.callback(stored.pk)


def _record_failed_callback(
    gateway: Gateway,
    result: CallbackResult,
    fields: Mapping[str, str],
    body: bytes,
    error: Exception,
) -> None:
    with transaction.atomic():
        stored, _ = GatewayCallback.objects.get_or_create(
            gateway=gateway.code,
            idempotency_key=result.idempotency_key,
            defaults={"payload": _payload(fields, body), "is_signature_valid": True},
        )
        if stored.status in (CallbackStatus.HANDLED, CallbackStatus.REJECTED):
            return  # a concurrent delivery of the same callback was applied
        stored.status = CallbackStatus.FAILED
        stored.error = f"{type(error).__name__}: {error}"[:2000]
        stored.save(update_fields=["status", "error"])


def _apply_callback(
    gateway: Gateway, result: CallbackResult, confirmation: Confirmation
) -> tuple[Verdict, str]:
    """Apply one verified, new callback; the verdict and a note for operators."""
    found = (
        PaymentAttempt.objects.filter(
            gateway=gateway.code, gateway_order_id=result.gateway_order_id
        )
        .values_list("pk", "intent_id", "intent__order_id")
        .first()
    )
    if found is None or not result.gateway_order_id:
        logger.warning("%s callback for an unknown order id", gateway.code)
        return Verdict.REJECTED, "unknown gateway order id"
    attempt_id, intent_id, order_id = found
    intent = locks.intent(intent_id, order_id=order_id)
    attempt = locks.attempt(attempt_id)
    expected_currency = NUMERIC_CODES.get(intent.currency, "")
    if result.amount != intent.amount or result.currency != expected_currency:
        logger.warning(
            "%s callback for %s with a wrong amount or currency",
            gateway.code,
            attempt.gateway_order_id,
        )
        return Verdict.REJECTED, "wrong amount or currency"
    if result.outcome == CallbackOutcome.APPROVED:
        return _record_success(gateway, intent, attempt, result, confirmation)
    return record_failure(intent, attempt, result)


def _fill(attempt: PaymentAttempt, result: CallbackResult, status: str) -> None:
    attempt.status = status
    attempt.transaction_id = result.transaction_id or attempt.transaction_id
    attempt.authorization_code = result.authorization_code or attempt.authorization_code
    attempt.host_reference = result.host_reference or attempt.host_reference
    attempt.masked_pan = result.masked_pan or attempt.masked_pan
    attempt.error_code = result.error_code
    attempt.error_message = result.error_message
    attempt.completed_at = timezone.now()
    attempt.save(
        update_fields=[
            "status",
            "transaction_id",
            "authorization_code",
            "host_reference",
            "masked_pan",
            "error_code",
            "error_message",
            "completed_at",
        ]
    )


def alert_not_captured(attempt: PaymentAttempt, *, transaction_id: str, reason: str) -> None:
    """Record, in the caller's transaction, an approval not captured (audit entry) and tell
    the operators once it commits."""
    audit.record(
        actor=None,
        action="payments.approval_not_captured",
        target=attempt,
        reason=reason,
        data={"gateway_order_id": attempt.gateway_order_id, "transaction_id": transaction_id},
    )
    transaction.on_commit(
        partial(notices.approval_not_captured, attempt.pk, transaction_id, reason)
    )


def _unconfirmed(
    gateway: Gateway,
    attempt: PaymentAttempt,
    result: CallbackResult,
    confirmation: Confirmation,
) -> str:
    """Why the processor's status does not confirm this approval, or "" when it does."""
    if registry.get_pre_authorizing_gateway(gateway.code) is None:
        return ""
    if confirmation.is_unreachable:
        raise CaptureNotConfirmed("the status API is unreachable")
    status = confirmation.status
    if status is None:
        # Not asked beforehand (the attempt changed meanwhile): ask again on a new delivery.
        raise CaptureNotConfirmed("the status was not asked")
    if status.outcome != CallbackOutcome.APPROVED:
        return "not approved at the processor"
    if status.transaction_id != result.transaction_id:
        return "another transaction id at the processor"
    if status.amount != result.amount or status.currency != result.currency:
        return "another amount or currency at the processor"
    return ""


def _record_success(
    gateway: Gateway,
    intent: PaymentIntent,
    attempt: PaymentAttempt,
    result: CallbackResult,
    confirmation: Confirmation,
) -> tuple[Verdict, str]:
    if attempt.status == AttemptStatus.SUCCEEDED and attempt.transaction_id == (
        result.transaction_id
    ):
        return Verdict.CAPTURE, "approval repeated"
    if attempt.status == AttemptStatus.SUCCEEDED or intent.status in PAID_INTENT_STATUSES:
        # Another approval (another attempt, or the same one paid again from a second tab with
        # another transaction id) already paid this order: never a second charge. It is not
        # captured, its pre-authorisation lapses, and an operator hears of it. The attempt that
        # paid keeps its own transaction.
        if attempt.status != AttemptStatus.SUCCEEDED:
            _fill(attempt, result, AttemptStatus.NOT_CAPTURED)
        logger.warning(
            "Approval %s for %s not captured: the order was already paid",
            result.transaction_id,
            attempt.gateway_order_id,
        )
        alert_not_captured(
            attempt, transaction_id=result.transaction_id, reason=notices.ALREADY_PAID
        )
        return Verdict.ACKNOWLEDGED, "order already paid by another approval; not captured"
    refused = _unconfirmed(gateway, attempt, result, confirmation)
    if refused:
        logger.warning("Approval for %s not confirmed: %s", attempt.gateway_order_id, refused)
        alert_not_captured(
            attempt, transaction_id=result.transaction_id, reason=notices.NOT_CONFIRMED
        )
        return Verdict.REJECTED, f"not confirmed by the status query: {refused}"
    _fill(attempt, result, AttemptStatus.SUCCEEDED)
    move_intent(intent, action="succeed", attempt=attempt, note=result.transaction_id)
    tell_order(intent)
    return Verdict.CAPTURE, ""


def tell_order(intent: PaymentIntent) -> bool:
    """Tell the order service the intent is paid (record_payment), in the caller's transaction;
    `intent` as locks.intent gave it (its order locked with it).

    If the order service fails, the payment stays recorded (it is money received) and the
    periodic complete_unrecorded_payments tries again."""
    try:
        with transaction.atomic():
            # The order locked with the intent (locks.intent): not locked and read again.
            outcome = orders.record_payment(
                order_id=intent.order_id,
                gateway=gateway_code_for_method(intent.method),
                locked_order=intent.order,
            )
    except Exception:
        logger.exception("Order %s not told of its payment yet", intent.order_id)
        # Read again: the order's row rolled back, the object may hold what it undid.
        intent.order = locks.order(intent.order_id)
        return False
    intent.order_recorded_at = timezone.now()
    intent.save(update_fields=["order_recorded_at"])
    if outcome == orders.PaymentOutcome.REFUND_NEEDED:
        refunds._request_late_payment_refund(intent)
    return True


def record_failure(
    intent: PaymentIntent, attempt: PaymentAttempt, result: CallbackResult
) -> tuple[Verdict, str]:
    """Record a declined payment of the (locked) attempt, in the caller's transaction: the
    attempt fails and, when it is the order's latest, the stock is released. A decline after
    an approval of the same attempt changes nothing; of an order already paid, only the
    attempt is marked."""
    if attempt.status in (AttemptStatus.SUCCEEDED, AttemptStatus.NOT_CAPTURED):
        return Verdict.ACKNOWLEDGED, "failure after an approval of the same attempt; ignored"
    _fill(attempt, result, AttemptStatus.FAILED)
    if intent.status in PAID_INTENT_STATUSES:
        return Verdict.ACKNOWLEDGED, "order already paid; failure recorded on the attempt only"
    latest = intent.attempts.order_by("-number").first()
    if latest is not None and latest.pk != attempt.pk:
        # The buyer already started a newer attempt: its stock hold stays.
        return Verdict.ACKNOWLEDGED, "failure of an older attempt"
    if intent.status in (IntentStatus.REQUIRES_ACTION, IntentStatus.PROCESSING):
        move_intent(intent, action="fail", attempt=attempt, note=result.error_code)
    orders.record_payment_failure(order_id=intent.order_id)
    return Verdict.ACKNOWLEDGED, ""


def complete_unrecorded_payments() -> int:
    """Tell the order service of paid intents it was not told about (a periodic task); the
    number completed."""
    pending = PaymentIntent.objects.filter(
        status__in=PAID_INTENT_STATUSES, order_recorded_at__isnull=True
    ).values_list("pk", flat=True)
    return batch.for_each("payments.complete_unrecorded_payments", pending, _complete_one).done


def _complete_one(intent_id: int) -> bool:
    intent = locks.intent(intent_id)
    if intent.order_recorded_at is not None or intent.status not in PAID_INTENT_STATUSES:
        return False
    return tell_order(intent)
