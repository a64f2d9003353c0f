"""Every aggregate's table walked through the one mover (core.machine).

For each machine, one object is built with its app's factories; then, from every source state
of every transition, with a role that may decide it, the move is made and its record read back
(actor, role, time, reason). A sample of forbidden moves (a status the move does not start
from, a role that may not decide it, a missing reason where one is required) raises an
IllegalTransition and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from souk.catalog.models import PRODUCT_MACHINE
from souk.catalog.tests.factories import make_draft_product
from souk.core.errors import IllegalTransition
from souk.core.machine import Actor, Machine, Transition, history, move
from souk.core.models import AuditEntry
from souk.fulfilment import services as shipping
from souk.fulfilment.models import Shipment, ShipmentStatus
from souk.ledger import payouts
from souk.ledger.models import Payout
from souk.ledger.payouts.statuses import PAYOUT_MACHINE
from souk.ledger.tests.payout_factories import make_rib_shop, sell
from souk.orders import services as orders
from souk.orders.models import SubOrderStatus
from souk.orders.services.transitions import ORDER_MACHINE, SUBORDER_MACHINE
from souk.orders.tests.factories import make_paid_order, make_unpaid_order
from souk.payments.models import PaymentIntent, RefundApproval
from souk.payments.tests.factories import start_card_payment
from souk.payments.transitions import INTENT_MACHINE, REFUND_APPROVAL_MACHINE
from souk.shops.models import SHOP_MACHINE
from souk.shops.tests.factories import make_claimed_shop, make_moderator, owner_of

pytestmark = pytest.mark.django_db

REASON = "Because the test says so."


@dataclass(frozen=True)
class Case:
    """One aggregate: its machine, how to build one, and who plays each role for it."""

    machine: Machine
    build: Callable[[], models.Model]
    # The user acting in a role on this object (None: nobody, as the system acts).
    user_for: Callable[[models.Model, Actor], Any]


def _shop_side(shop_of: Callable[[Any], Any]) -> Callable[[models.Model, Actor], Any]:
    def user_for(obj: models.Model, role: Actor) -> Any:
        if role == Actor.ARTISAN:
            return owner_of(shop_of(obj))
        if role == Actor.MODERATOR:
            return make_moderator()
        return None

    return user_for


def _order_side(obj: Any, role: Actor) -> Any:
    order = getattr(obj, "order", obj)
    if role == Actor.BUYER:
        return order.buyer
    if role == Actor.ARTISAN:
        return owner_of(order.sub_orders.first().shop)
    if role == Actor.MODERATOR:
        return make_moderator()
    return None


def _intent() -> PaymentIntent:
    order, _start = start_card_payment()
    return PaymentIntent.objects.get(order=order)


def _payout() -> Payout:
    sell(make_rib_shop(), 45000)
    payouts.start_payout_run(key="test:machine", today=datetime.date(2026, 11, 30))
    return Payout.objects.get()


def _shipment() -> Shipment:
    parcel = make_paid_order(country="FR").sub_orders.get()
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    shipping.ship_sub_order(sub_order=parcel, artisan=artisan)
    return Shipment.objects.get(sub_order=parcel)


def _refund_approval() -> RefundApproval:
    order = make_paid_order()
    return RefundApproval.objects.create(
        order=order,
        amount=order.total_amount,
        currency=order.currency,
        reason="damaged",
        idempotency_key="machine:approval",
        requested_by=make_moderator(),
    )


def _a_moderator(obj: models.Model, role: Actor) -> Any:
    return make_moderator() if role == Actor.MODERATOR else None


def _nobody_but_the_buyer(obj: models.Model, role: Actor) -> Any:
    return obj.order.buyer if role == Actor.BUYER else None  # type: ignore[attr-defined]


def _nobody(obj: models.Model, role: Actor) -> Any:
    # An operator is any person; the system is nobody.
    return make_moderator() if role == Actor.OPERATOR else None


CASES = {
    "product": Case(PRODUCT_MACHINE, make_draft_product, _shop_side(lambda p: p.shop)),
    "shop": Case(SHOP_MACHINE, make_claimed_shop, _shop_side(lambda s: s)),
    "order": Case(ORDER_MACHINE, make_unpaid_order, _order_side),
    "sub_order": Case(SUBORDER_MACHINE, lambda: make_unpaid_order().sub_orders.get(), _order_side),
    "payment_intent": Case(INTENT_MACHINE, _intent, _nobody_but_the_buyer),
    "payout": Case(PAYOUT_MACHINE, _payout, _nobody),
    "shipment": Case(shipping.SHIPMENT_MACHINE, _shipment, _nobody),
    "refund_approval": Case(REFUND_APPROVAL_MACHINE, _refund_approval, _a_moderator),
}


def _statuses(obj: models.Model, machine: Machine) -> list[str]:
    field = obj._meta.get_field(machine.field)
    assert isinstance(field, models.Field)
    return [str(value) for value, _label in field.choices or []]


def _put(obj: models.Model, machine: Machine, status: str) -> None:
    type(obj)._default_manager.filter(pk=obj.pk).update(**{machine.field: status})
    obj.refresh_from_db()


def _status_in_db(obj: models.Model, machine: Machine) -> str:
    return str(getattr(type(obj)._default_manager.get(pk=obj.pk), machine.field))


def _role_for(transition: Transition) -> Actor:
    return sorted(transition.roles)[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_allowed_move_moves_and_is_recorded(name: str) -> None:
    case = CASES[name]
    obj, machine = case.build(), case.machine
    users = {role: case.user_for(obj, role) for role in Actor}
    for transition in machine.transitions:
        for source in sorted(transition.sources):
            # given
            _put(obj, machine, source)
            role = _role_for(transition)
            before = timezone.now()
            # when
            move(
                obj,
                machine=machine,
                action=transition.action,
                actor=users[role],
                role=role,
                reason=REASON,
            )
            # then
            where = f"{name}.{transition.action} from {source}"
            assert _status_in_db(obj, machine) == transition.target, where
            record = history(obj, machine=machine)[-1]
            assert (record.action, record.from_status, record.to_status) == (
                transition.action,
                source,
                transition.target,
            ), where
            user = users[role]
            assert record.actor_id == (user.pk if user is not None else None), where
            assert record.role == role.value, where
            assert record.reason == REASON, where
            assert record.at >= before, where


@pytest.mark.parametrize("name", sorted(CASES))
def test_forbidden_moves_raise_and_change_nothing(name: str) -> None:
    case = CASES[name]
    obj, machine = case.build(), case.machine
    statuses = _statuses(obj, machine)
    users = {role: case.user_for(obj, role) for role in Actor}
    recorded = len(history(obj, machine=machine))
    tried = 0
    for transition in machine.transitions:
        source = sorted(transition.sources)[0]
        role = _role_for(transition)
        wrong_status = next((s for s in statuses if s not in transition.sources), None)
        wrong_role = next((r for r in Actor if r not in transition.roles), None)
        attempts: list[tuple[str, Actor, str]] = []
        if wrong_status is not None:
            attempts.append((wrong_status, role, REASON))
        if wrong_role is not None:
            attempts.append((source, wrong_role, REASON))
        if transition.reason_required:
            attempts.append((source, role, "  "))
        for status, acting, reason in attempts:
            _put(obj, machine, status)
            where = f"{name}.{transition.action} from {status} as {acting} ({reason!r})"
            with pytest.raises(IllegalTransition):
                move(
                    obj,
                    machine=machine,
                    action=transition.action,
                    actor=users[acting],
                    role=acting,
                    reason=reason,
                )
            assert _status_in_db(obj, machine) == status, where
            assert len(history(obj, machine=machine)) == recorded, where
            tried += 1
    assert tried >= len(machine.transitions)


def test_a_backwards_carrier_event_is_recorded_out_of_order_and_moves_nothing() -> None:
    # given: a delivered parcel
    shipment = _shipment()
    Shipment.objects.filter(pk=shipment.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    moment = timezone.now() - datetime.timedelta(hours=2)

    def update(event_id: str, status: str) -> shipping.TrackingUpdate:
        return shipping.TrackingUpdate(shipment.tracking_number, event_id, status, moment)

    shipping.apply_tracking(update("e1", ShipmentStatus.DELIVERED))

    # when: an "in transit" of the same moment arrives after it
    was_new = shipping.apply_tracking(update("e2", ShipmentStatus.IN_TRANSIT))

    # then
    assert was_new
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert shipment.sub_order.status == SubOrderStatus.DELIVERED
    assert [r.action for r in history(shipment, machine=shipping.SHIPMENT_MACHINE)] == ["deliver"]
    late = AuditEntry.objects.get(action="shipment.out_of_order")
    assert late.data == {"event_id": "e2", "status": "in_transit"}
