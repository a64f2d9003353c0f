"""The select_for_update querysets of orders, nothing else (STYLE.md §2).

The order first, then its sub-orders by primary key: every writer takes them in that order,
before the payment's rows and the ledger's accounts (docs/architecture.md, "Lock order").
Stock rows (`stock`) come after the orders: listings, then variants, each by id.
Only the rows named are locked (`of=("self",)`): a joined row is read, not locked, so no
statement takes two tables' locks in an order of its own."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from souk.accounts.models import User
from souk.catalog.models import Product, ProductVariant
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


def stock(keys: Iterable[tuple[int, int]]) -> None:
    """Lock the listings, then the variants, whose stock this transaction is about to move,
    each in id order. A checkout gives its buyer's unpaid order back before taking its own
    units: each step alone goes in key order, but together they would lock rows in two orders,
    and two such checkouts could each wait for the other (PostgreSQL ends one with a deadlock).
    Every path that moves stock locks its rows here first, all in this one order, after the
    orders. `keys` are (listing id, variant id or 0); SQLite's single writer needs no row
    locks."""
    if not connection.features.has_select_for_update:
        return
    pairs = list(keys)
    product_ids = sorted({product_id for product_id, _variant in pairs})
    variant_ids = sorted({variant_id for _product, variant_id in pairs if variant_id})
    if product_ids:
        list(
            Product.objects.select_for_update().filter(pk__in=product_ids).order_by("pk").only("pk")
        )
    if variant_ids:
        list(
            ProductVariant.objects.select_for_update()
            .filter(pk__in=variant_ids)
            .order_by("pk")
            .only("pk")
        )
