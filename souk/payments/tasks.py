"""Background work of payments: thin task wrappers over the services (STYLE.md §2)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from souk.core import periodic
from souk.payments import services


@task()
def process_refund(refund_id: int) -> str:
    """Send one gateway refund; no automatic retry: a refund left `requested` (gateway
    unreachable) is sent again by send_requested_refunds."""
    return str(services.process_refund(refund_id=refund_id).status)


@periodic.every(timedelta(minutes=5), name="payments.complete_unrecorded_payments")
@task()
def complete_unrecorded_payments() -> int:
    """Periodic: tell the order service of payments it missed."""
    return services.complete_unrecorded_payments()


@periodic.every(timedelta(minutes=5), name="payments.repair_unconfirmed_payments")
@task()
def repair_unconfirmed_payments() -> int:
    """Periodic: ask the processor about card attempts whose callback never came; capture and
    record what it confirms."""
    return services.repair_unconfirmed_payments()


@periodic.every(timedelta(minutes=5), name="payments.send_requested_refunds")
@task()
def send_requested_refunds() -> int:
    """Periodic: send again the gateway refunds still waiting."""
    return services.send_requested_refunds()


def enqueue_process_refund(refund_id: int) -> None:
    """Queue the sending of a refund; called from transaction.on_commit."""
    process_refund.enqueue(refund_id)
