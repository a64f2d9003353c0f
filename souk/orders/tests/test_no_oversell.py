"""Many buyers check out the last units of a listing at once: exactly the stock is sold.

Each buyer runs in its own thread with its own database connection, so the database's own
locking (SQLite's write lock, PostgreSQL's row locks) is what is tested; CI runs this file on
both.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from souk.accounts.models import User
from souk.catalog.models import Product, ProductVariant
from souk.catalog.tests.factories import make_active_product, make_variant
from souk.orders import services
from souk.orders.errors import CartChanged, InsufficientStock
from souk.orders.models import Order, OrderLine, OrderStatus, ReservationStatus, StockReservation
from souk.orders.tests.factories import fill_cart, make_buyer, place, record_paid

BUYERS = 12
UNITS_LEFT = 3


def _check_out_together(buyers: list[User]) -> tuple[list[str], list[BaseException]]:
    """Every buyer checks out and pays at the same moment, each in its own thread."""
    outcomes: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(len(buyers))

    def checkout(number: int) -> None:
        try:
            start.wait()
            try:
                order = place(buyers[number])
                record_paid(order)
                result = "sold"
            except (InsufficientStock, CartChanged):
                result = "refused"
            with lock:
                outcomes.append(result)
        except BaseException as error:  # reported below, so a crash is not a silent pass
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=checkout, args=(number,)) for number in range(len(buyers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_concurrent_checkouts_for_the_last_units_never_oversell() -> None:
    # given: 3 left, and 12 buyers who each have 1 in their cart
    product = make_active_product(stock_quantity=UNITS_LEFT)
    buyers = [make_buyer(email=f"buyer{number}@souk.example") for number in range(BUYERS)]
    for buyer in buyers:
        fill_cart(buyer, [(product, 1)])

    # when: they all pay at the same moment
    outcomes, errors = _check_out_together(buyers)

    # then: three sales, nine refusals, nothing left, nothing below zero
    assert errors == []
    assert sorted(outcomes) == ["refused"] * (BUYERS - UNITS_LEFT) + ["sold"] * UNITS_LEFT
    assert Product.objects.get(pk=product.pk).stock_quantity == 0
    assert Order.objects.filter(status=OrderStatus.PLACED).count() == UNITS_LEFT
    sold = StockReservation.objects.filter(product=product, status=ReservationStatus.SOLD)
    assert sum(sold.values_list("quantity", flat=True)) == UNITS_LEFT
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == UNITS_LEFT


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_concurrent_checkouts_of_a_variants_last_units_never_oversell() -> None:
    # given: the product has plenty, its variant 3 left, and 12 buyers want that variant
    product = make_active_product(stock_quantity=50)
    variant = make_variant(product, stock_quantity=UNITS_LEFT)
    buyers = [make_buyer(email=f"buyer{number}@souk.example") for number in range(BUYERS)]
    for buyer in buyers:
        cart = services.get_or_create_cart(user=buyer, cart_id=None)
        services.add_to_cart(cart=cart, product_id=product.pk, variant_id=variant.pk)

    # when: they all pay at the same moment
    outcomes, errors = _check_out_together(buyers)

    # then: three sales of the variant, the product's own stock untouched
    assert errors == []
    assert sorted(outcomes) == ["refused"] * (BUYERS - UNITS_LEFT) + ["sold"] * UNITS_LEFT
    assert ProductVariant.objects.get(pk=variant.pk).stock_quantity == 0
    assert Product.objects.get(pk=product.pk).stock_quantity == 50
    sold = StockReservation.objects.filter(variant=variant, status=ReservationStatus.SOLD)
    assert sum(sold.values_list("quantity", flat=True)) == UNITS_LEFT
    assert Order.objects.filter(status=OrderStatus.PLACED).count() == UNITS_LEFT
