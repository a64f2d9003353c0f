"""The select_for_update querysets of payments, nothing else (STYLE.md §2).

One lock order for every writer (docs/architecture.md, "Lock order"): the order, then its
sub-orders by primary key, then the payment intent, its attempts and its refunds, and the
ledger's accounts last. Locking an intent therefore locks its order first, whoever asks: a
callback, a refund of the order, a parcel's refund that orders asks with its own locks held.
A claimed queue row (a gateway callback, a refund approval) is locked before all of them and
never while holding any other.
"""

from __future__ import annotations

from souk.orders.models import Order, SubOrder
from souk.payments.models import (
    GatewayCallback,
    PaymentAttempt,
    PaymentIntent,
    Refund,
    RefundApproval,
)


def order(order_id: int) -> Order:
    """The order alone: the first lock of anything about its payment."""
    return Order.objects.select_for_update(of=("self",)).get(pk=order_id)


def order_and_sub_orders(order_id: int) -> Order:
    """The order, then all its sub-orders by primary key: before a refund shared among them."""
    locked = order(order_id)
    list(SubOrder.objects.select_for_update(of=("self",)).filter(order=locked).order_by("pk"))
    return locked


def intent(intent_id: int, *, order_id: int | None = None) -> PaymentIntent:
    """The intent, its order locked first (held already when the caller took it); the
    intent's `order` is that locked row. `order_id`, when the caller read it already (an
    intent never changes order), spares reading it again."""
    if order_id is None:
        order_id = (
            PaymentIntent.objects.filter(pk=intent_id).values_list("order_id", flat=True).get()
        )
    locked_order = order(order_id)
    locked = PaymentIntent.objects.select_for_update(of=("self",)).get(pk=intent_id)
    if locked.order_id != order_id:
        raise PaymentIntent.DoesNotExist(f"intent {intent_id} is not order {order_id}'s")
    locked.order = locked_order
    return locked


def attempt(attempt_id: int) -> PaymentAttempt:
    return PaymentAttempt.objects.select_for_update(of=("self",)).get(pk=attempt_id)


def callback(callback_id: int) -> GatewayCallback:
    return GatewayCallback.objects.select_for_update(of=("self",)).get(pk=callback_id)


def refund(refund_id: int) -> Refund:
    return Refund.objects.select_for_update(of=("self",)).select_related("intent").get(pk=refund_id)


def refund_approval(approval_id: int) -> RefundApproval:
    # A queue row, claimed first: approving locks it, then the order and the rest in order.
    return RefundApproval.objects.select_for_update(of=("self",)).get(pk=approval_id)
