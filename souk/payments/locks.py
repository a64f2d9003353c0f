"""The select_for_update querysets of payments, nothing else (STYLE.md §2).

Intent first, then its attempts, then callbacks and refunds: every writer takes them in that
order. A callback that tells the order service locks the order after the intent; refunds (which
orders calls with its own locks held) only happen once the intent is paid, when callbacks no
longer tell the order service, so the two never wait on each other.
"""

from __future__ import annotations

from souk.payments.models import (
    GatewayCallback,
    PaymentAttempt,
    PaymentIntent,
    Refund,
    RefundApproval,
)


def intent(intent_id: int) -> PaymentIntent:
    return PaymentIntent.objects.select_for_update().select_related("order").get(pk=intent_id)


def attempt(attempt_id: int) -> PaymentAttempt:
    return PaymentAttempt.objects.select_for_update().get(pk=attempt_id)


def callback(callback_id: int) -> GatewayCallback:
    return GatewayCallback.objects.select_for_update().get(pk=callback_id)


def refund(refund_id: int) -> Refund:
    return Refund.objects.select_for_update().select_related("intent").get(pk=refund_id)


def refund_approval(approval_id: int) -> RefundApproval:
    # Taken before the intent: approving locks the approval, then refund_payment the intent.
    return RefundApproval.objects.select_for_update().get(pk=approval_id)
