"""Use cases of payments: start a payment, cash on delivery, cancel an unpaid payment; the
callbacks are in callbacks.py, the refunds in refunds.py (their use cases are re-exported
here) and the repair of missed callbacks in repair.py.

A paid intent never goes back to unpaid. See docs/payments.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from souk.core.machine import Actor
from souk.orders import services as orders
from souk.orders.models import Order, OrderStatus, SubOrderStatus
from souk.payments import locks
from souk.payments.callbacks import complete_unrecorded_payments as complete_unrecorded_payments
from souk.payments.callbacks import handle_cmi_callback as handle_cmi_callback
from souk.payments.callbacks import handle_wallet_callback as handle_wallet_callback
from souk.payments.errors import (
    GatewayUnavailable,
    PaymentMethodMismatch,
    PaymentNotPossible,
    PaymentsMisconfigured,
    WalletPhoneInvalid,
)
from souk.payments.gateways import registry, wallet
from souk.payments.gateways.base import (
    AttemptContext,
    Gateway,
    GatewayError,
    GatewayMisconfigured,
    PaymentStart,
)
from souk.payments.gateways.registry import gateway_code_for_method as gateway_code_for_method
from souk.payments.models import (
    OPEN_ATTEMPT_STATUSES,
    PAID_INTENT_STATUSES,
    AttemptStatus,
    IntentStatus,
    PaymentAttempt,
    PaymentIntent,
)
from souk.payments.refunds import check_refund_possible as check_refund_possible
from souk.payments.refunds import process_refund as process_refund
from souk.payments.refunds import refund_payment as refund_payment
from souk.payments.refunds import refund_sub_order as refund_sub_order
from souk.payments.refunds import send_requested_refunds as send_requested_refunds
from souk.payments.repair import repair_unconfirmed_payments as repair_unconfirmed_payments
from souk.payments.transitions import INTENT_MACHINE
from souk.payments.transitions import move_intent as _move_intent

logger = logging.getLogger("souk.payments")


# --- Intent status ------------------------------------------------------------------------------


# --- Starting a payment -------------------------------------------------------------------------


def _session_seconds() -> int:
    return int(orders.reservation_minutes()) * 60


def _is_reusable(attempt: PaymentAttempt, gateway: Gateway) -> bool:
    # The same gateway session serves page reloads while it is open and young enough; after
    # that CMI may refuse the `oid`, so a new attempt gets a new one.
    fresh_since = timezone.now() - timedelta(seconds=_session_seconds())
    return (
        attempt.gateway == gateway.code
        and attempt.status in OPEN_ATTEMPT_STATUSES
        and attempt.created_at >= fresh_since
    )


def _check_gateway(gateway: Gateway) -> None:
    """Refuse to start anything with a gateway whose settings cannot work (before any write)."""
    try:
        gateway.check_configuration()
    except GatewayMisconfigured as error:
        logger.error("Gateway %s misconfigured: %s", gateway.code, error)
        raise PaymentsMisconfigured() from error


def _open_attempt(order: Order) -> tuple[PaymentIntent, PaymentAttempt]:
    """The intent of `order` (made once) and an attempt to use now, new if needed."""
    if order.status != OrderStatus.AWAITING_PAYMENT:
        raise PaymentNotPossible()
    gateway = registry.gateway_for_method(order.payment_method)
    _check_gateway(gateway)
    with transaction.atomic():
        # The order first, as every payment path locks it (locks.intent): then its intent is
        # read, or made, by one request at a time.
        locked = locks.order(order.pk)
        intent = PaymentIntent.objects.select_for_update(of=("self",)).filter(order=locked).first()
        latest: PaymentAttempt | None = None
        if intent is None:
            # Made here, under the order's lock: no attempt yet.
            intent = PaymentIntent.objects.create(
                order=locked,
                amount=order.total_amount,
                currency=order.currency,
                method=order.payment_method,
            )
        else:
            intent.order = locked
            if intent.status in PAID_INTENT_STATUSES:
                raise PaymentNotPossible()
            latest = intent.attempts.order_by("-number").first()
        if latest is not None and _is_reusable(latest, gateway):
            return intent, latest
        if latest is not None:
            # A retry: the failed attempt released the stock (or the hold ran short), so the
            # order holds it again first; raises InsufficientStock or OrderNotPayable.
            orders.reserve_again(order=order)
        number = latest.number + 1 if latest is not None else 1
        attempt = PaymentAttempt.objects.create(
            intent=intent,
            number=number,
            gateway=gateway.code,
            gateway_order_id=f"{order.reference}-{number}",
        )
        _move_intent(
            intent,
            action="start_attempt",
            attempt=attempt,
            note=attempt.gateway_order_id,
            actor=order.buyer,
            role=Actor.BUYER,
        )
    return intent, attempt


@dataclass(frozen=True, slots=True)
class OpenedPayment:
    """What start_payment opened: how to pay, and the intent and attempt behind it."""

    start: PaymentStart
    intent: PaymentIntent
    attempt: PaymentAttempt


def start_payment(*, order: Order, language: str) -> PaymentStart:
    """How the buyer pays `order` now (open_payment's `start`)."""
    return open_payment(order=order, language=language).start


def open_payment(*, order: Order, language: str) -> OpenedPayment:
    """How the buyer pays `order` now: the signed card form, the wallet QR, or instructions.

    Creates the order's intent once; a new attempt (new gateway order id) only when there is
    no open one young enough, after holding the stock again for a retry. Raises
    PaymentNotPossible when the order is not awaiting payment, PaymentsMisconfigured when the
    gateway's settings cannot work (the sandbox's URL while SOUK_SANDBOX is off), and the
    orders errors InsufficientStock / OrderNotPayable from a retry."""
    intent, attempt = _open_attempt(order)
    gateway = registry.get_gateway(attempt.gateway)
    buyer = order.buyer
    context = AttemptContext(
        gateway_order_id=attempt.gateway_order_id,
        order_reference=order.reference,
        amount=intent.amount,
        currency=intent.currency,
        language=language,
        buyer_email=buyer.email or "",
        buyer_name=getattr(buyer, "full_name", "") or order.ship_to_name,
        session_seconds=_session_seconds(),
    )
    return OpenedPayment(start=gateway.start_payment(context), intent=intent, attempt=attempt)


def request_wallet_push(*, order: Order, phone: str) -> PaymentAttempt:
    """Send a payment request for `order` to the buyer's wallet on `phone` (E.164 or local
    Moroccan); the buyer approves it in their wallet and the wallet's callback decides.
    Raises WalletPhoneInvalid, PaymentMethodMismatch, GatewayUnavailable."""
    if order.payment_method != "wallet":
        raise PaymentMethodMismatch()
    try:
        number = phonenumbers.parse(phone, str(settings.SOUK_PHONE_DEFAULT_REGION))
    except phonenumbers.NumberParseException as error:
        raise WalletPhoneInvalid() from error
    if not phonenumbers.is_valid_number(number):
        raise WalletPhoneInvalid()
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    intent, attempt = _open_attempt(order)
    # The HTTP call is made outside any transaction: no row stays locked while we wait.
    try:
        wallet.request_push(
            bill_number=attempt.gateway_order_id,
            order_reference=order.reference,
            amount=intent.amount,
            currency=intent.currency,
            phone=e164,
        )
    except GatewayError as error:
        logger.warning("Wallet push for %s failed: %s", attempt.gateway_order_id, error)
        raise GatewayUnavailable() from error
    with transaction.atomic():
        intent = locks.intent(intent.pk)
        attempt = locks.attempt(attempt.pk)
        # The wallet may already have called back (a quick approval): then nothing to do.
        if attempt.status == AttemptStatus.PENDING:
            attempt.status = AttemptStatus.PROCESSING
            attempt.save(update_fields=["status"])
        if intent.status in (IntentStatus.REQUIRES_ACTION, IntentStatus.FAILED):
            _move_intent(
                intent,
                action="process",
                attempt=attempt,
                note="wallet push sent",
                actor=order.buyer,
                role=Actor.BUYER,
            )
    return attempt


def confirm_cash_on_delivery(*, order: Order) -> PaymentIntent:
    """The buyer confirms paying in cash on delivery: the order goes to the artisans (idempotent).
    The intent stays `processing` until the carrier collects the money."""
    if order.payment_method != "cod":
        raise PaymentMethodMismatch()
    existing = PaymentIntent.objects.filter(order=order).first()
    if existing is not None and existing.order_recorded_at is not None:
        return existing
    intent, attempt = _open_attempt(order)
    with transaction.atomic():
        intent = locks.intent(intent.pk)
        attempt = locks.attempt(attempt.pk)
        orders.confirm_cash_on_delivery(order_id=order.pk)
        attempt.status = AttemptStatus.PROCESSING
        attempt.save(update_fields=["status"])
        if intent.status == IntentStatus.REQUIRES_ACTION:
            _move_intent(
                intent,
                action="process",
                attempt=attempt,
                note="cash on delivery",
                actor=order.buyer,
                role=Actor.BUYER,
            )
        intent.order_recorded_at = timezone.now()
        intent.save(update_fields=["order_recorded_at"])
    return intent


def record_cash_collected(intent: PaymentIntent, *, collected_amount: int) -> None:
    """The carrier remitted the cash of every parcel of a cash-on-delivery order: the intent
    and its attempt succeed. The caller (remittances.record_cod_remittance) holds the intent's
    lock; the order itself was placed at confirmation and is not told again."""
    attempt = intent.attempts.order_by("-number").first()
    if attempt is not None and attempt.status in OPEN_ATTEMPT_STATUSES:
        attempt = locks.attempt(attempt.pk)
        attempt.status = AttemptStatus.SUCCEEDED
        attempt.completed_at = timezone.now()
        attempt.save(update_fields=["status", "completed_at"])
    _move_intent(
        intent,
        action="succeed",
        attempt=attempt,
        note=f"cash on delivery remitted: {collected_amount} {intent.currency}",
    )


def cancel_unpaid_payment(*, order: Order) -> PaymentIntent | None:
    """Move the intent of `order` to cancelled once every sub-order is cancelled and nothing
    was paid (an unpaid order expired or given up, an undelivered cash-on-delivery order):
    no money moves. Idempotent; returns the intent (None when the order has none).

    For the orders service to call, in its transaction, after cancelling sub-orders."""
    with transaction.atomic():
        intent = PaymentIntent.objects.filter(order=order).first()
        if intent is None:
            return None
        intent = locks.intent(intent.pk)
        if intent.status not in INTENT_MACHINE["cancel"].sources:
            return intent
        statuses = set(order.sub_orders.values_list("status", flat=True))
        if statuses and statuses == {SubOrderStatus.CANCELLED}:
            _move_intent(intent, action="cancel", note="order cancelled")
    return intent
