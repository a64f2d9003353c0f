"""Four eyes on large refunds (issue #13, defect 9).

A refund a person asks for above SOUK_REFUND_APPROVAL_ABOVE (minor units of the order's
currency, 100000 = 1,000 MAD by default) is recorded as awaiting approval and nothing moves:
no Refund, no ledger posting, nothing sent to the gateway. Another person with the refund
permission approves it (then it is made exactly as refund_payment makes any refund, checked
again against what was paid) or rejects it. The requester can do neither. The request and the
decision are both in the audit log.

The moderator's parcel actions that give money back (force_refund, receive_return) wait here
too (ask_parcel_action): one queue, one decision page. Such an action giving back what is left
of a paid parcel (lifecycle.refund_due) above the amount records a RefundApproval and nothing
moves: no refund, no ledger entry, the parcel's status unchanged. Once another person approves
it, the action runs as the requester asked it, if the parcel is still where it was (else 409).
Below the amount it runs at once. Automatic refunds (a parcel not answered in time, a payment
after expiry) never come here.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import transaction

from souk.accounts.models import User
from souk.core import audit, machine
from souk.core.machine import Actor
from souk.core.money import Money
from souk.core.retry import retry_on_conflict
from souk.orders import locks as order_locks
from souk.orders.errors import IllegalOrderTransition, ParcelChangedSinceRefundAsked
from souk.orders.models import ORDER_CURRENCY, Order, SubOrder
from souk.orders.services import lifecycle
from souk.orders.services.transitions import check_sub_order_move
from souk.payments import locks, services
from souk.payments.errors import (
    RefundApprovalClosed,
    RefundApprovedByRequester,
    RefundNeedsApproval,
    RefundNotPossible,
)
from souk.payments.models import (
    ParcelRefundAction,
    PaymentIntent,
    Refund,
    RefundApproval,
    RefundApprovalStatus,
)
from souk.payments.transitions import REFUND_APPROVAL_MACHINE


def needs_approval(*, amount: Money) -> bool:
    """True when a person's refund of `amount` needs a second person whatever came before."""
    return amount.amount > settings.SOUK_REFUND_APPROVAL_ABOVE


@retry_on_conflict
def request_refund(
    *, order: Order, amount: Money, reason: str, key: str, actor: User
) -> Refund | RefundApproval:
    """Refund now when small enough, else record the refund as awaiting another's approval.

    Idempotent on `key` like refund_payment. Raises what refund_payment raises when the refund
    could not be made now (nothing paid, too much, bad amount). Run again once when the database
    aborts it in a conflict with another refund, then ConcurrentChange (core/retry.py)."""
    if not needs_approval(amount=amount):
        try:
            return services.refund_payment(
                order=order, amount=amount, reason=reason, key=key, actor=actor
            )
        except RefundNeedsApproval:
            # Small, but with what this person or this order was already given back alone, it
            # passes a limit (refunds.needs_second_person): it waits like a large one.
            pass
    with transaction.atomic():
        existing = RefundApproval.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        intent = PaymentIntent.objects.filter(order=order).first()
        if intent is None:
            raise RefundNotPossible()
        intent = locks.intent(intent.pk)
        services.check_refund_possible(intent=intent, amount=amount)
        approval = RefundApproval.objects.create(
            order=order,
            amount=amount.amount,
            currency=amount.currency,
            reason=reason.strip(),
            idempotency_key=key,
            requested_by=actor,
        )
        _record_requested(approval)
    return approval


def request_parcel_action(
    *, sub_order: SubOrder, action: ParcelRefundAction, amount: Money, reason: str, actor: User
) -> RefundApproval:
    """Record a moderator's parcel action that would give back `amount` as awaiting another's
    approval; nothing moves. For ask_parcel_action, the parcel locked. A parcel has
    one such request awaiting at a time: asking again returns it."""
    with transaction.atomic():
        existing = RefundApproval.objects.filter(
            sub_order=sub_order, status=RefundApprovalStatus.AWAITING
        ).first()
        if existing is not None:
            return existing
        approval = RefundApproval.objects.create(
            order=sub_order.order,
            sub_order=sub_order,
            action=action,
            parcel_status=sub_order.status,
            amount=amount.amount,
            currency=amount.currency,
            reason=reason.strip(),
            idempotency_key=f"parcel:{sub_order.reference}:{secrets.token_hex(8)}",
            requested_by=actor,
        )
        _record_requested(approval)
    return approval


def _record_requested(approval: RefundApproval) -> None:
    audit.record(
        actor=approval.requested_by,
        action="payments.refund_approval_requested",
        target=approval,
        reason=approval.reason,
        data=_audit_data(approval),
    )


def _audit_data(approval: RefundApproval) -> dict[str, object]:
    data: dict[str, object] = {
        "order": approval.order.reference,
        "amount": approval.amount,
        "currency": approval.currency,
    }
    if approval.sub_order is not None:
        data |= {"sub_order": approval.sub_order.reference, "action": approval.action}
    return data


@retry_on_conflict
@transaction.atomic
def approve_refund(*, approval_id: int, actor: User) -> Refund | None:
    """Make the refund awaiting approval, as `actor` (not its requester) approves it: a partial
    refund through refund_payment, a parcel action as its requester asked it.

    Raises RefundApprovalClosed (already decided), RefundApprovedByRequester, and what
    refund_payment or the parcel action raises (then the approval stays awaiting)."""
    approval = _open_approval(approval_id=approval_id, actor=actor)
    refund: Refund | None
    if approval.sub_order is not None:
        _approve_parcel_action(approval=approval, actor=actor)
        refund = Refund.objects.filter(
            idempotency_key=f"refund:{approval.sub_order.reference}"
        ).first()
    else:
        refund = services.refund_payment(
            order=approval.order,
            amount=Money(approval.amount, approval.currency),
            reason=approval.reason,
            key=approval.idempotency_key,
            actor=approval.requested_by,
            approved_by=actor,
        )
    _decide(approval, action="refund_approved", actor=actor, refund=refund)
    return refund


@retry_on_conflict
@transaction.atomic
def reject_refund(*, approval_id: int, actor: User) -> RefundApproval:
    """Close the refund awaiting approval without giving anything back."""
    approval = _open_approval(approval_id=approval_id, actor=actor)
    _decide(approval, action="refund_rejected", actor=actor, refund=None)
    return approval


def _open_approval(*, approval_id: int, actor: User) -> RefundApproval:
    approval = locks.refund_approval(approval_id)
    if approval.status != RefundApprovalStatus.AWAITING:
        raise RefundApprovalClosed()
    if approval.requested_by_id == actor.pk:
        raise RefundApprovedByRequester()
    return approval


def _decide(approval: RefundApproval, *, action: str, actor: User, refund: Refund | None) -> None:
    machine.move(
        approval,
        machine=REFUND_APPROVAL_MACHINE,
        action=action,
        actor=actor,
        role=Actor.MODERATOR,
        stamps=lambda transition, now: {"decided_by": actor, "decided_at": now, "refund": refund},
        record=_audit_data(approval) | {"requested_by": approval.requested_by_id},
    )


@retry_on_conflict
def ask_parcel_action(
    *, action: str, sub_order: SubOrder, moderator: User, reason: str
) -> SubOrder | RefundApproval:
    """A moderator asks `action` (a ParcelRefundAction) on a parcel: done at once when what it
    gives back is small enough, else recorded as awaiting another's approval (returned). Run
    again once when the database aborts it in a conflict (core/retry.py)."""
    with transaction.atomic():
        locked = order_locks.sub_order(sub_order.pk)
        amount = lifecycle.refund_due(locked)
        if not needs_approval(amount=Money(amount, ORDER_CURRENCY)):
            return _run_parcel_action(
                action, locked, moderator=moderator, reason=reason, approved_by=None
            )
        # Refused now if it could not be made now (wrong status, no permission, no reason).
        check_sub_order_move(
            locked, action=action, actor=moderator, role=Actor.MODERATOR, reason=reason
        )
        return request_parcel_action(
            sub_order=locked,
            action=ParcelRefundAction(action),
            amount=Money(amount, ORDER_CURRENCY),
            reason=reason,
            actor=moderator,
        )


def _approve_parcel_action(*, approval: RefundApproval, actor: User) -> SubOrder:
    """Run the parcel action of `approval` (locked, awaiting, `actor` is not its requester) as
    its requester asked it. Raises ParcelChangedSinceRefundAsked when the parcel moved or was
    refunded in part since: what was approved is no longer what would happen."""
    if approval.sub_order_id is None:
        raise IllegalOrderTransition()
    locked = order_locks.sub_order(approval.sub_order_id)
    if locked.status != approval.parcel_status or lifecycle.refund_due(locked) != approval.amount:
        raise ParcelChangedSinceRefundAsked()
    return _run_parcel_action(
        approval.action,
        locked,
        moderator=approval.requested_by,
        reason=approval.reason,
        approved_by=actor,
    )


def _run_parcel_action(
    action: str, sub_order: SubOrder, *, moderator: User, reason: str, approved_by: User | None
) -> SubOrder:
    if action == ParcelRefundAction.FORCE_REFUND:
        return lifecycle.force_refund(
            sub_order=sub_order, moderator=moderator, reason=reason, approved_by=approved_by
        )
    if action == ParcelRefundAction.RECEIVE_RETURN:
        return lifecycle.receive_return(
            sub_order=sub_order, actor=moderator, as_moderator=True, approved_by=approved_by
        )
    raise IllegalOrderTransition()
