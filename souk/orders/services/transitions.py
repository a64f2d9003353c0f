"""The one place an order or sub-order changes status: checks the table, records the event.

Callers hold the row locks (locks.py) and own the transaction; this module only checks that the
move is in ORDER_TRANSITIONS / SUBORDER_TRANSITIONS, that the actor may make it in the role they
claim, and writes the OrderEvent shown in the history.
"""

from __future__ import annotations

from django.utils import timezone

from souk.accounts.models import User
from souk.orders.errors import IllegalOrderTransition, NotAllowedForRole, ReasonRequired
from souk.orders.models import (
    ORDER_TRANSITIONS_BY_ACTION,
    SUBORDER_TRANSITIONS_BY_ACTION,
    Actor,
    Order,
    OrderEvent,
    SubOrder,
    SubOrderStatus,
    Transition,
)
from souk.shops import selectors as shops

MODERATE_PERMISSION = "accounts.moderate_content"

# When a sub-order reaches these statuses, the matching timestamp is set.
_STAMPS = {
    SubOrderStatus.SHIPPED: "shipped_at",
    SubOrderStatus.DELIVERED: "delivered_at",
    SubOrderStatus.COMPLETED: "completed_at",
}


def acts_as(*, user: User | None, role: Actor, order: Order, sub_order: SubOrder | None) -> bool:
    """Whether `user` may act on this order in `role` (the system acts with no user)."""
    if role == Actor.SYSTEM:
        return user is None
    if user is None or not user.is_active:
        return False
    if role == Actor.BUYER:
        return order.buyer_id == user.pk
    if role == Actor.ARTISAN:
        return sub_order is not None and shops.is_manager(shop=sub_order.shop, user=user)
    return user.has_perm(MODERATE_PERMISSION)


def _check(
    transition: Transition | None,
    *,
    status: str,
    user: User | None,
    role: Actor,
    order: Order,
    sub_order: SubOrder | None,
    reason: str,
) -> Transition:
    if transition is None or status not in transition.sources:
        raise IllegalOrderTransition(detail={"from": status})
    if role not in transition.actors or not acts_as(
        user=user, role=role, order=order, sub_order=sub_order
    ):
        raise NotAllowedForRole()
    if transition.reason_required and not reason.strip():
        raise ReasonRequired()
    return transition


def move_order(
    order: Order, *, action: str, actor: User | None, role: Actor, reason: str = ""
) -> Order:
    """Apply the order move `action` (or record its creation, action "created")."""
    previous = order.status
    if action != "created":
        transition = _check(
            ORDER_TRANSITIONS_BY_ACTION.get(action),
            status=previous,
            user=actor,
            role=role,
            order=order,
            sub_order=None,
            reason=reason,
        )
        order.status = transition.target
        order.save(update_fields=["status"])
        previous_for_event = previous
    else:
        previous_for_event = ""
    OrderEvent.objects.create(
        order=order,
        action=action,
        from_status=previous_for_event,
        to_status=order.status,
        actor=actor,
        actor_role=role.value,
        reason=reason.strip(),
    )
    return order


def move_sub_order(
    sub_order: SubOrder, *, action: str, actor: User | None, role: Actor, reason: str = ""
) -> SubOrder:
    """Apply the sub-order move `action`; raises IllegalOrderTransition, NotAllowedForRole,
    ReasonRequired."""
    order = sub_order.order
    transition = _check(
        SUBORDER_TRANSITIONS_BY_ACTION.get(action),
        status=sub_order.status,
        user=actor,
        role=role,
        order=order,
        sub_order=sub_order,
        reason=reason,
    )
    now = timezone.now()
    previous = sub_order.status
    sub_order.status = transition.target
    sub_order.status_changed_at = now
    fields = ["status", "status_changed_at"]
    stamp = _STAMPS.get(SubOrderStatus(transition.target))
    if stamp is not None:
        setattr(sub_order, stamp, now)
        fields.append(stamp)
    sub_order.save(update_fields=fields)
    OrderEvent.objects.create(
        order=order,
        sub_order=sub_order,
        action=action,
        from_status=previous,
        to_status=sub_order.status,
        actor=actor,
        actor_role=role.value,
        reason=reason.strip(),
        at=now,
    )
    return sub_order


def check_sub_order_move(
    sub_order: SubOrder, *, action: str, actor: User | None, role: Actor, reason: str = ""
) -> None:
    """Raise what move_sub_order would raise for this move now, without making it."""
    _check(
        SUBORDER_TRANSITIONS_BY_ACTION.get(action),
        status=sub_order.status,
        user=actor,
        role=role,
        order=sub_order.order,
        sub_order=sub_order,
        reason=reason,
    )
