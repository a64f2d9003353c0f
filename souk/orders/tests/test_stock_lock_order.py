"""Two buyers each place a new order while an unpaid one of theirs holds what the other wants:
each checkout first gives its old order's units back, then takes its new ones. Taken phase by
phase, those rows would be locked in two orders and PostgreSQL would end one checkout with a
deadlock (seen under load by bench/bench_orders.py). Every path that moves stock locks its rows
in one order first (orders/services/checkout.py, `_lock_stock`): both checkouts succeed.

PostgreSQL only: SQLite has one writer at a time, so the rows cannot be taken in a circle there.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from souk.accounts.models import User
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.orders.models import CartItem, Order, OrderStatus
from souk.orders.tests.factories import fill_cart, make_buyer, place

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.skipif(
        connection.vendor == "sqlite", reason="SQLite serialises writers: no lock circle there"
    ),
]


def _with_unpaid_order_then_cart(buyer: User, holds: Product, wants: Product) -> Order:
    fill_cart(buyer, [(holds, 1)])
    unpaid = place(buyer)
    CartItem.objects.filter(cart__user=buyer).delete()
    fill_cart(buyer, [(wants, 1)])
    return unpaid


def test_two_checkouts_that_release_what_the_other_takes_both_succeed() -> None:
    # given: Amina's unpaid order holds the jar and she now wants the bowl; Bilal's holds the
    # bowl and he wants the jar
    jar = make_active_product(stock_quantity=5)
    bowl = make_active_product(stock_quantity=5)
    amina = make_buyer(email="amina@souk.example")
    bilal = make_buyer(email="bilal@souk.example")
    _with_unpaid_order_then_cart(amina, holds=jar, wants=bowl)
    _with_unpaid_order_then_cart(bilal, holds=bowl, wants=jar)
    errors: list[BaseException] = []
    placed: list[str] = []

    def checkout(buyer: User) -> None:
        try:
            placed.append(place(buyer).reference)
        except BaseException as error:  # reported below: a crash is not a silent pass
            errors.append(error)
        finally:
            connections.close_all()

    # when: a third transaction holds the bowl's row; Bilal's checkout queues on it first,
    # then Amina's (which gives the jar back before it wants the bowl); then the bowl is let go
    holder_ready = threading.Event()
    let_go = threading.Event()

    def hold_the_bowl() -> None:
        try:
            with transaction.atomic():
                list(Product.objects.select_for_update().filter(pk=bowl.pk))
                holder_ready.set()
                let_go.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_bowl)
    holder.start()
    assert holder_ready.wait(timeout=30)
    bilal_thread = threading.Thread(target=checkout, args=(bilal,))
    bilal_thread.start()
    time.sleep(0.5)
    amina_thread = threading.Thread(target=checkout, args=(amina,))
    amina_thread.start()
    time.sleep(0.5)
    let_go.set()
    for thread in (holder, bilal_thread, amina_thread):
        thread.join(timeout=60)

    # then: no deadlock; each has one order awaiting payment, the old ones cancelled, and the
    # stock counts what they hold
    assert errors == []
    assert len(placed) == 2
    for buyer in (amina, bilal):
        statuses = list(Order.objects.filter(buyer=buyer).values_list("status", flat=True))
        assert sorted(statuses) == sorted([OrderStatus.AWAITING_PAYMENT, OrderStatus.CANCELLED])
    assert Product.objects.get(pk=jar.pk).stock_quantity == 4
    assert Product.objects.get(pk=bowl.pk).stock_quantity == 4
