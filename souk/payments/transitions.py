"""The one way an intent changes status: a move of INTENT_TRANSITIONS, recorded as an event."""

from __future__ import annotations

from django.utils import timezone

from souk.payments.errors import IllegalPaymentTransition
from souk.payments.models import (
    INTENT_TRANSITIONS_BY_ACTION,
    PaymentAttempt,
    PaymentEvent,
    PaymentIntent,
)


def move_intent(
    intent: PaymentIntent, *, action: str, attempt: PaymentAttempt | None = None, note: str = ""
) -> None:
    """Apply one move of INTENT_TRANSITIONS and record it; the caller holds the intent's lock."""
    transition = INTENT_TRANSITIONS_BY_ACTION[action]
    if intent.status not in transition.sources:
        raise IllegalPaymentTransition(detail={"from": intent.status, "action": action})
    previous = intent.status
    intent.status = transition.target
    intent.updated_at = timezone.now()
    intent.save(update_fields=["status", "updated_at"])
    PaymentEvent.objects.create(
        intent=intent,
        attempt=attempt,
        action=action,
        from_status=previous,
        to_status=intent.status,
        note=note[:255],
    )
