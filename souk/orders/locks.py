"""The select_for_update querysets of orders, nothing else (STYLE.md §2).

The order first, then its sub-orders by primary key: every writer takes them in that order,
before the payment's rows and the ledger's accounts (docs/architecture.md, "Lock order").
Only the rows named are locked (`of=("self",)`): a joined row is read, not locked, so no
statement takes two tables' locks in an order of its own."""

from __future__ import annotations

from souk.accounts.models import User
from souk.orders.models import Order, OrderStatus, SubOrder


def order(order_id: int) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order_id)


def sub_orders_of(order: Order) -> list[SubOrder]:
    return list(SubOrder.objects.select_for_update(of=("self",)).filter(order=order).order_by("pk"))


def sub_order(sub_order_id: int) -> SubOrder:
    # Its order first, as every writer of the order does; then the sub-order itself.
    order_id = SubOrder.objects.filter(pk=sub_order_id).values_list("order_id", flat=True).get()
    order(order_id)
    return (
        SubOrder.objects.select_for_update(of=("self",))
        .select_related("order", "shop")
        .get(pk=sub_order_id)
    )


def unpaid_orders_of(buyer: User) -> list[Order]:
    return list(
        Order.objects.select_for_update(of=("self",))
        .filter(buyer=buyer, status=OrderStatus.AWAITING_PAYMENT)
        .order_by("pk")
    )
