"""The select_for_update querysets of orders, nothing else (STYLE.md §2).

Order first, then its sub-orders by primary key: every writer takes them in that order."""

from __future__ import annotations

from souk.accounts.models import User
from souk.orders.models import Order, OrderStatus, SubOrder


def order(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def sub_orders_of(order: Order) -> list[SubOrder]:
    return list(SubOrder.objects.select_for_update().filter(order=order).order_by("pk"))


def sub_order(sub_order_id: int) -> SubOrder:
    return SubOrder.objects.select_for_update().select_related("order", "shop").get(pk=sub_order_id)


def unpaid_orders_of(buyer: User) -> list[Order]:
    return list(
        Order.objects.select_for_update()
        .filter(buyer=buyer, status=OrderStatus.AWAITING_PAYMENT)
        .order_by("pk")
    )
