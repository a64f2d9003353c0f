"""The sub-order's life after payment: every allowed move, forbidden ones, the clock."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from souk.accounts.models import User
from souk.core.machine import Actor
from souk.fulfilment import services as fulfilment
from souk.orders import services
from souk.orders.errors import (
    IllegalOrderTransition,
    NotAllowedForRole,
    ReasonRequired,
    ReturnWindowClosed,
)
from souk.orders.models import (
    SUBORDER_TRANSITIONS,
    OrderEvent,
    OrderStatus,
    PaymentMethod,
    SubOrder,
    SubOrderStatus,
)
from souk.orders.services.transitions import move_sub_order
from souk.orders.tests.factories import make_buyer, make_paid_order, make_unpaid_order
from souk.shops.tests.factories import make_moderator, owner_of

pytestmark = pytest.mark.django_db


def _paid_parcel() -> SubOrder:
    return make_paid_order().sub_orders.get()


def _user_for(role: Actor, sub_order: SubOrder) -> User | None:
    if role == Actor.BUYER:
        return sub_order.order.buyer
    if role == Actor.ARTISAN:
        return owner_of(sub_order.shop)
    if role == Actor.MODERATOR:
        return make_moderator()
    return None


@pytest.mark.parametrize(
    ("action", "source"),
    [
        (transition.action, source)
        for transition in SUBORDER_TRANSITIONS
        for source in sorted(transition.sources)
    ],
)
def test_every_allowed_move_reaches_its_target_and_is_recorded(action: str, source: str) -> None:
    transition = next(t for t in SUBORDER_TRANSITIONS if t.action == action)
    sub_order = make_unpaid_order().sub_orders.get()
    SubOrder.objects.filter(pk=sub_order.pk).update(status=source)
    sub_order.refresh_from_db()
    role = sorted(transition.roles, key=lambda actor: actor.value)[0]
    actor = _user_for(role, sub_order)

    move_sub_order(sub_order, action=action, actor=actor, role=role, reason="Because.")

    assert SubOrder.objects.get(pk=sub_order.pk).status == transition.target
    event = OrderEvent.objects.filter(sub_order=sub_order).latest("id")
    assert (event.action, event.from_status, event.to_status) == (action, source, transition.target)
    assert event.actor == actor
    assert event.actor_role == role.value


@pytest.mark.parametrize(
    ("action", "source", "role"),
    [
        ("ship", SubOrderStatus.PAID, Actor.ARTISAN),  # must be accepted first
        ("accept", SubOrderStatus.AWAITING_PAYMENT, Actor.ARTISAN),  # not paid
        ("accept", SubOrderStatus.PAID, Actor.BUYER),  # the buyer cannot accept
        ("confirm_receipt", SubOrderStatus.SHIPPED, Actor.ARTISAN),
        ("pay", SubOrderStatus.COMPLETED, Actor.SYSTEM),  # paid never goes back
        ("refund", SubOrderStatus.COMPLETED, Actor.SYSTEM),
        ("resolve", SubOrderStatus.DISPUTED, Actor.BUYER),
        ("force_refund", SubOrderStatus.PAID, Actor.ARTISAN),
        ("request_return", SubOrderStatus.ACCEPTED, Actor.BUYER),
    ],
)
def test_forbidden_moves_raise_and_change_nothing(action: str, source: str, role: Actor) -> None:
    sub_order = make_unpaid_order().sub_orders.get()
    SubOrder.objects.filter(pk=sub_order.pk).update(status=source)
    sub_order.refresh_from_db()
    events_before = OrderEvent.objects.count()

    with pytest.raises((IllegalOrderTransition, NotAllowedForRole)):
        move_sub_order(
            sub_order, action=action, actor=_user_for(role, sub_order), role=role, reason="x"
        )

    assert SubOrder.objects.get(pk=sub_order.pk).status == source
    assert OrderEvent.objects.count() == events_before


def test_another_shops_artisan_cannot_accept() -> None:
    parcel = _paid_parcel()
    stranger = owner_of(make_paid_order().sub_orders.get().shop)
    with pytest.raises(NotAllowedForRole):
        services.accept_sub_order(sub_order=parcel, artisan=stranger)
    assert SubOrder.objects.get(pk=parcel.pk).status == SubOrderStatus.PAID


def test_the_happy_path_to_completion_closes_the_order() -> None:
    parcel = _paid_parcel()
    artisan = owner_of(parcel.shop)

    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    services.follow_tracking(sub_order=parcel, status="out_for_delivery")
    services.confirm_receipt(sub_order=parcel, buyer=parcel.order.buyer)

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.COMPLETED
    assert parcel.tracking_number == parcel.shipment.tracking_number
    assert parcel.carrier == "amana"  # the carrier of the quote at checkout
    assert parcel.shipped_at is not None
    assert parcel.completed_at is not None
    assert parcel.order.__class__.objects.get(pk=parcel.order_id).status == OrderStatus.CLOSED
    assert [event.action for event in OrderEvent.objects.filter(sub_order=parcel)] == [
        "pay",
        "accept",
        "ship",
        "in_transit",
        "confirm_receipt",
    ]


def test_declining_needs_a_reason_and_refunds_the_buyer() -> None:
    parcel = _paid_parcel()
    artisan = owner_of(parcel.shop)
    with pytest.raises(ReasonRequired):
        services.decline_sub_order(sub_order=parcel, artisan=artisan, reason="  ")

    services.decline_sub_order(sub_order=parcel, artisan=artisan, reason="Kiln broke.")

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.REFUNDED
    assert parcel.refunded_amount == parcel.total_amount
    assert [event.action for event in OrderEvent.objects.filter(sub_order=parcel)][-2:] == [
        "decline",
        "refund",
    ]


def test_a_declined_cash_on_delivery_parcel_has_nothing_to_refund() -> None:
    order = make_unpaid_order(payment_method=PaymentMethod.CASH_ON_DELIVERY)
    services.confirm_cash_on_delivery(order_id=order.pk)
    parcel = order.sub_orders.get()

    services.decline_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop), reason="Sold.")

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.DECLINED
    assert parcel.refunded_amount == 0


def test_a_return_within_the_window_ends_refunded() -> None:
    parcel = _paid_parcel()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    services.mark_delivered(sub_order=parcel)

    services.request_return(sub_order=parcel, buyer=parcel.order.buyer, reason="Cracked lid.")
    services.receive_return(sub_order=parcel, actor=artisan)

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.REFUNDED
    assert parcel.refunded_amount == parcel.total_amount


def test_a_return_after_the_window_is_refused(settings) -> None:
    parcel = _paid_parcel()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    services.mark_delivered(sub_order=parcel)
    SubOrder.objects.filter(pk=parcel.pk).update(
        delivered_at=timezone.now() - datetime.timedelta(days=settings.SOUK_RETURN_WINDOW_DAYS + 1)
    )

    with pytest.raises(ReturnWindowClosed):
        services.request_return(sub_order=parcel, buyer=parcel.order.buyer, reason="Late.")
    assert SubOrder.objects.get(pk=parcel.pk).status == SubOrderStatus.DELIVERED


def test_a_dispute_is_resolved_by_a_moderator() -> None:
    parcel = _paid_parcel()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    services.open_dispute(sub_order=parcel, user=parcel.order.buyer, reason="Never arrived.")

    services.resolve_dispute(
        sub_order=parcel, moderator=make_moderator(), reason="Tracking shows delivery."
    )

    assert SubOrder.objects.get(pk=parcel.pk).status == SubOrderStatus.RESOLVED


def test_a_moderator_refunds_a_completed_parcel() -> None:
    parcel = _paid_parcel()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    services.follow_tracking(sub_order=parcel, status="out_for_delivery")
    services.confirm_receipt(sub_order=parcel, buyer=parcel.order.buyer)

    services.force_refund(sub_order=parcel, moderator=make_moderator(), reason="Fake goods.")

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.REFUNDED
    assert parcel.refunded_amount == parcel.total_amount


def test_parcels_not_answered_in_time_are_declined_and_refunded() -> None:
    parcel = _paid_parcel()
    answered = _paid_parcel()
    services.accept_sub_order(sub_order=answered, artisan=owner_of(answered.shop))
    later = timezone.now() + datetime.timedelta(days=30)

    assert services.decline_overdue_sub_orders(now=later) == 1

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.REFUNDED
    decline = OrderEvent.objects.get(sub_order=parcel, action="decline")
    assert decline.actor is None
    assert decline.actor_role == "system"
    assert SubOrder.objects.get(pk=answered.pk).status == SubOrderStatus.ACCEPTED


def test_delivered_parcels_complete_by_themselves_after_the_waiting_days(settings) -> None:
    parcel = _paid_parcel()
    artisan = owner_of(parcel.shop)
    services.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    services.mark_delivered(sub_order=parcel)
    soon = timezone.now() + datetime.timedelta(days=settings.SOUK_AUTO_COMPLETE_DAYS - 1)
    later = timezone.now() + datetime.timedelta(days=settings.SOUK_AUTO_COMPLETE_DAYS + 1)

    assert services.complete_delivered_sub_orders(now=soon) == 0
    assert services.complete_delivered_sub_orders(now=later) == 1
    assert SubOrder.objects.get(pk=parcel.pk).status == SubOrderStatus.COMPLETED


def test_messages_go_between_buyer_and_artisan_only() -> None:
    parcel = _paid_parcel()
    services.send_message(sub_order=parcel, author=parcel.order.buyer, body="Gift wrap please?")
    services.send_message(sub_order=parcel, author=owner_of(parcel.shop), body="بكل سرور")
    with pytest.raises(NotAllowedForRole):
        services.send_message(
            sub_order=parcel, author=make_buyer(email="x@souk.example"), body="hi"
        )
    assert [m.author_role for m in parcel.messages.all()] == ["buyer", "artisan"]
