"""Four eyes on a moderator's parcel actions that give money back (issue #13, defect 9).

force_refund, and receive_return said by a moderator, give the buyer back what is left of a
paid parcel (lifecycle.refund_due). When that is above SOUK_REFUND_APPROVAL_ABOVE, asking for
the action records a RefundApproval (souk.payments.refund_approvals, the same queue as large
partial refunds) and nothing moves: no refund, no ledger entry, the parcel's status unchanged.
Another person with the moderation permission approves it on the order's refund page; then the
action runs as the requester asked it, if the parcel is still where it was (else 409), or is
rejected. Below the amount the action runs at once, as before. Automatic refunds (a parcel not
answered in time, a payment after expiry) never come here.
"""

from __future__ import annotations

from django.db import transaction

from souk.accounts.models import User
from souk.core.machine import Actor
from souk.core.money import Money
from souk.core.retry import retry_on_conflict
from souk.orders import locks
from souk.orders.errors import IllegalOrderTransition, ParcelChangedSinceRefundAsked
from souk.orders.models import ORDER_CURRENCY, SubOrder
from souk.orders.services import lifecycle
from souk.orders.services.transitions import check_sub_order_move
from souk.payments import refund_approvals
from souk.payments.models import ParcelRefundAction, RefundApproval


@retry_on_conflict
def ask(
    *, action: str, sub_order: SubOrder, moderator: User, reason: str
) -> SubOrder | RefundApproval:
    """A moderator asks `action` (a ParcelRefundAction) on a parcel: done at once when what it
    gives back is small enough, else recorded as awaiting another's approval (returned). Run
    again once when the database aborts it in a conflict (core/retry.py)."""
    with transaction.atomic():
        locked = locks.sub_order(sub_order.pk)
        amount = lifecycle.refund_due(locked)
        if not refund_approvals.needs_approval(amount=Money(amount, ORDER_CURRENCY)):
            return _run(action, locked, moderator=moderator, reason=reason, approved_by=None)
        # Refused now if it could not be made now (wrong status, no permission, no reason).
        check_sub_order_move(
            locked, action=action, actor=moderator, role=Actor.MODERATOR, reason=reason
        )
        return refund_approvals.request_parcel_action(
            sub_order=locked,
            action=ParcelRefundAction(action),
            amount=Money(amount, ORDER_CURRENCY),
            reason=reason,
            actor=moderator,
        )


def approve(*, approval: RefundApproval, actor: User) -> SubOrder:
    """Run the parcel action of `approval` (locked, awaiting, `actor` is not its requester) as
    its requester asked it. Raises ParcelChangedSinceRefundAsked when the parcel moved or was
    refunded in part since: what was approved is no longer what would happen."""
    if approval.sub_order_id is None:
        raise IllegalOrderTransition()
    locked = locks.sub_order(approval.sub_order_id)
    if locked.status != approval.parcel_status or lifecycle.refund_due(locked) != approval.amount:
        raise ParcelChangedSinceRefundAsked()
    return _run(
        approval.action,
        locked,
        moderator=approval.requested_by,
        reason=approval.reason,
        approved_by=actor,
    )


def _run(
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
