"""Who hears when a card approval is not captured or not confirmed: the operators.

An approval Souk does not capture (the order was already paid by another approval, or the
processor's status query did not confirm it) lapses at the processor, so the buyer is not
charged; an operator still looks at it (a buyer paying from two tabs, or a forged message).
The alert is a notification on each operator's notifications page (with its email and SMS
copies) and an audit entry, written by the service in its transaction.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from souk.accounts.selectors import list_operators
from souk.notifications import services as notifications
from souk.payments.models import PaymentAttempt

# Why an approval was not captured, by the code the services record (audit entry `reason`).
ALREADY_PAID = "already_paid"
NOT_CONFIRMED = "not_confirmed"
CAPTURED_AFTER_PAYMENT = "captured_after_payment"
REASONS = {
    ALREADY_PAID: _(
        "The order was already paid by another approval: this one was not captured and lapses."
    ),
    NOT_CONFIRMED: _(
        "The processor's status query did not confirm this approval: nothing was captured."
    ),
    CAPTURED_AFTER_PAYMENT: _(
        "This approval was captured after another one paid the order: refund it."
    ),
}


def approval_not_captured(attempt_id: int, transaction_id: str, reason: str) -> None:
    """Tell the operators that an approval of this attempt was not captured, and why."""
    attempt = PaymentAttempt.objects.select_related("intent__order").get(pk=attempt_id)
    for operator in list_operators():
        notifications.notify(
            recipient=operator,
            kind="payment_not_captured_operator",
            context={
                "order": attempt.intent.order.reference,
                "gateway_order_id": attempt.gateway_order_id,
                "transaction_id": transaction_id,
                "reason": REASONS[reason],
            },
            url=reverse("payments:refund", args=[attempt.intent.order.reference]),
        )
