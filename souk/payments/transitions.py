"""The machines of payments (core.machine): payment intents (INTENT_TRANSITIONS, recorded as
PaymentEvents) and the four-eyes refund approvals (recorded in the audit log)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from souk.core import machine
from souk.core.machine import Actor, Machine, transition
from souk.payments.errors import IllegalPaymentTransition, RefundApprovalClosed
from souk.payments.models import (
    INTENT_TRANSITIONS,
    PaymentAttempt,
    PaymentEvent,
    PaymentIntent,
    RefundApprovalStatus,
)

INTENT_MACHINE = Machine(
    name="payment_intent",
    transitions=INTENT_TRANSITIONS,
    illegal=IllegalPaymentTransition,
    not_allowed=IllegalPaymentTransition,
    history_model=PaymentEvent,
    history_links=lambda intent: {"intent": intent},
)


def move_intent(
    intent: PaymentIntent,
    *,
    action: str,
    attempt: PaymentAttempt | None = None,
    note: str = "",
    actor: Any = None,
    role: Actor = Actor.SYSTEM,
) -> None:
    """Apply one move of INTENT_TRANSITIONS and record it; the caller holds the intent's lock.

    The system moves by default (a processor's callback...); the buyer's moves name them."""
    machine.move(
        intent,
        machine=INTENT_MACHINE,
        action=action,
        actor=actor,
        role=role,
        stamps=lambda transition, now: {"updated_at": now},
        record={"attempt": attempt, "note": note[:255]},
    )


_AWAITING = {RefundApprovalStatus.AWAITING}
# A refund awaiting a second person is decided once, by a moderator who did not ask for it
# (refund_approvals checks who). Named so that the audit log reads payments.refund_approved.
REFUND_APPROVAL_MACHINE = Machine(
    name="payments",
    transitions=(
        transition(
            "refund_approved",
            _AWAITING,
            RefundApprovalStatus.APPROVED,
            {Actor.MODERATOR},
            _("Approve"),
        ),
        transition(
            "refund_rejected",
            _AWAITING,
            RefundApprovalStatus.REJECTED,
            {Actor.MODERATOR},
            _("Reject"),
        ),
    ),
    illegal=RefundApprovalClosed,
    not_allowed=RefundApprovalClosed,
)
