"""The machine of payment intents (core.machine): INTENT_TRANSITIONS, recorded as PaymentEvents."""

from __future__ import annotations

from typing import Any

from souk.core import machine
from souk.core.machine import Actor, Machine
from souk.payments.errors import IllegalPaymentTransition
from souk.payments.models import (
    INTENT_TRANSITIONS,
    PaymentAttempt,
    PaymentEvent,
    PaymentIntent,
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
