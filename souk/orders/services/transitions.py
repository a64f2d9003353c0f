"""The machines of orders and sub-orders (core.machine): their tables, who may act, the record.

Callers hold the row locks (locks.py) and own the transaction; core.machine.move checks that the
move is in ORDER_TRANSITIONS / SUBORDER_TRANSITIONS, that the actor may make it in the role they
claim, saves the status and writes the OrderEvent shown in the history.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from souk.accounts.models import User
from souk.core import events, machine
from souk.core.machine import Actor, Machine, Transition
from souk.orders.errors import IllegalOrderTransition, NotAllowedForRole, ReasonRequired
from souk.orders.events import ParcelReachedBuyer
from souk.orders.models import (
    ORDER_TRANSITIONS,
    SUBORDER_TRANSITIONS,
    Order,
    OrderEvent,
    SubOrder,
    SubOrderStatus,
)
from souk.shops import selectors as shops

MODERATE_PERMISSION = "accounts.moderate_content"

# When a sub-order reaches these statuses, the matching timestamp is set.
_STAMPS = {
    SubOrderStatus.SHIPPED: "shipped_at",
    SubOrderStatus.DELIVERED: "delivered_at",
    SubOrderStatus.COMPLETED: "completed_at",
}
# A sub-order reaching these statuses is in the buyer's hands (ParcelReachedBuyer).
_IN_BUYERS_HANDS = frozenset({SubOrderStatus.DELIVERED, SubOrderStatus.COMPLETED})


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


ORDER_MACHINE = Machine(
    name="order",
    transitions=ORDER_TRANSITIONS,
    illegal=IllegalOrderTransition,
    not_allowed=NotAllowedForRole,
    reason_missing=ReasonRequired,
    history_model=OrderEvent,
    history_links=lambda order: {"order": order, "sub_order": None},
    may_act=lambda order, user, role: acts_as(user=user, role=role, order=order, sub_order=None),
)
SUBORDER_MACHINE = Machine(
    name="sub_order",
    transitions=SUBORDER_TRANSITIONS,
    illegal=IllegalOrderTransition,
    not_allowed=NotAllowedForRole,
    reason_missing=ReasonRequired,
    history_model=OrderEvent,
    history_links=lambda sub_order: {"order_id": sub_order.order_id, "sub_order": sub_order},
    may_act=lambda sub_order, user, role: acts_as(
        user=user, role=role, order=sub_order.order, sub_order=sub_order
    ),
)


def move_order(
    order: Order,
    *,
    action: str,
    actor: User | None,
    role: Actor,
    reason: str = "",
    fields: Mapping[str, object] | None = None,
) -> Order:
    """Apply the order move `action` (or record its creation, action "created"); `fields`,
    other values saved with the status, in the same UPDATE."""
    if action == "created":
        machine.write_record(
            order,
            machine=ORDER_MACHINE,
            action=action,
            from_status="",
            to_status=order.status,
            actor=actor,
            role=role,
            reason=reason.strip(),
        )
        return order
    machine.move(
        order,
        machine=ORDER_MACHINE,
        action=action,
        actor=actor,
        role=role,
        reason=reason,
        stamps=(lambda _transition, _now: fields) if fields else None,
    )
    return order


def _sub_order_stamps(transition: Transition, now: datetime.datetime) -> dict[str, object]:
    values: dict[str, object] = {"status_changed_at": now}
    stamp = _STAMPS.get(SubOrderStatus(transition.target))
    if stamp is not None:
        values[stamp] = now
    return values


def move_sub_order(
    sub_order: SubOrder,
    *,
    action: str,
    actor: User | None,
    role: Actor,
    reason: str = "",
    fields: Mapping[str, object] | None = None,
) -> SubOrder:
    """Apply the sub-order move `action` (`fields`: other values saved with the status, in
    the same UPDATE); raises IllegalOrderTransition, NotAllowedForRole, ReasonRequired."""
    machine.move(
        sub_order,
        machine=SUBORDER_MACHINE,
        action=action,
        actor=actor,
        role=role,
        reason=reason,
        stamps=lambda transition, now: {**_sub_order_stamps(transition, now), **(fields or {})},
    )
    if sub_order.status in _IN_BUYERS_HANDS:
        events.publish(ParcelReachedBuyer(sub_order_id=sub_order.pk))
    return sub_order


def check_sub_order_move(
    sub_order: SubOrder, *, action: str, actor: User | None, role: Actor, reason: str = ""
) -> None:
    """Raise what move_sub_order would raise for this move now, without making it."""
    SUBORDER_MACHINE.check(sub_order, action=action, actor=actor, role=role, reason=reason)
