"""Buying a listing by variant: the cart, the reservation of the variant's stock, the order line
and the shipping quote."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from souk.accounts.models import User
from souk.catalog.models import Product, ProductVariant
from souk.catalog.tests.factories import make_active_product, make_variant
from souk.orders import selectors, services
from souk.orders.errors import InsufficientStock, VariantRequired
from souk.orders.models import (
    CartItem,
    OrderLine,
    OrderStatus,
    ReservationStatus,
    StockReservation,
)
from souk.orders.tests.factories import make_buyer, place, record_paid

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name)


def add(buyer: User, variant: ProductVariant, quantity: int = 1) -> None:
    cart = services.get_or_create_cart(user=buyer, cart_id=None)
    services.add_to_cart(
        cart=cart, product_id=variant.product_id, variant_id=variant.pk, quantity=quantity
    )


def test_a_product_with_variants_is_added_to_the_cart_by_variant_only(client) -> None:
    # given
    product = make_active_product(price_amount=45_000)
    large = make_variant(product, label_en="Large", price_amount=52_000)

    # when: no variant chosen
    refused = client.post(url("orders:add_to_cart"), {"product": product.pk, "quantity": 1})

    # then: refused, nothing in the cart
    assert refused.status_code == 400
    assert "Choose a variant." in refused.content.decode()
    assert not CartItem.objects.exists()

    # when: the variant chosen
    client.post(
        url("orders:add_to_cart"), {"product": product.pk, "variant": large.pk, "quantity": 1}
    )

    # then: the variant's price is the price seen
    item = CartItem.objects.get()
    assert (item.variant_id, item.seen_price_amount) == (large.pk, 52_000)
    assert "Large" in client.get(url("orders:cart")).content.decode()


def test_adding_more_than_the_variants_stock_is_refused() -> None:
    product = make_active_product(stock_quantity=10)
    variant = make_variant(product, stock_quantity=2)
    buyer = make_buyer()

    with pytest.raises(InsufficientStock):
        add(buyer, variant, quantity=3)

    assert not CartItem.objects.exists()


def test_a_variant_cannot_be_added_for_a_product_sold_as_one_piece_either_way() -> None:
    product = make_active_product()
    make_variant(product)
    cart = services.get_or_create_cart(user=make_buyer(), cart_id=None)

    with pytest.raises(VariantRequired):
        services.add_to_cart(cart=cart, product_id=product.pk)


def test_the_cart_shows_a_changed_variant_price_and_a_variant_taken_off_sale(client) -> None:
    # given
    product = make_active_product()
    changed = make_variant(product, label_en="Large", price_amount=52_000)
    retired = make_variant(product, label_en="Small", price_amount=38_000)
    for variant in (changed, retired):
        client.post(url("orders:add_to_cart"), {"product": product.pk, "variant": variant.pk})

    # when
    ProductVariant.objects.filter(pk=changed.pk).update(price_amount=56_000)
    ProductVariant.objects.filter(pk=retired.pk).update(is_active=False)
    page = client.get(url("orders:cart")).content.decode()

    # then
    assert "The price was MAD520.00 when you added it." in page
    assert "MAD560.00" in page
    assert "No longer for sale: it will not be ordered." in page
    assert url("orders:checkout") not in page
    client.post(url("orders:accept_cart_changes"))
    items = list(CartItem.objects.values_list("variant_id", "seen_price_amount"))
    assert items == [(changed.pk, 56_000)]


def test_checkout_reserves_the_variants_stock_and_a_failure_gives_it_back() -> None:
    # given
    product = make_active_product(stock_quantity=5)
    variant = make_variant(product, label_en="Large", price_amount=52_000, stock_quantity=2)
    buyer = make_buyer()
    add(buyer, variant, quantity=2)

    # when
    order = place(buyer)

    # then: the variant's stock is taken, the product's untouched
    assert ProductVariant.objects.get(pk=variant.pk).stock_quantity == 0
    assert Product.objects.get(pk=product.pk).stock_quantity == 5
    reservation = StockReservation.objects.get(order=order)
    assert (reservation.variant_id, reservation.quantity, reservation.status) == (
        variant.pk,
        2,
        ReservationStatus.HELD,
    )

    # when: the payment fails
    services.record_payment_failure(order_id=order.pk)

    # then: back to the variant
    assert ProductVariant.objects.get(pk=variant.pk).stock_quantity == 2
    assert Product.objects.get(pk=product.pk).stock_quantity == 5
    assert StockReservation.objects.get(order=order).status == ReservationStatus.RELEASED


def test_the_order_line_keeps_the_variant_label_price_and_weight() -> None:
    # given
    product = make_active_product(price_amount=45_000, weight_grams=1800)
    variant = make_variant(
        product, label_en="Large", label_fr="Grand", price_amount=52_000, weight_grams=2600
    )
    buyer = make_buyer()
    add(buyer, variant, quantity=2)

    # when
    order = place(buyer)
    record_paid(order)
    ProductVariant.objects.filter(pk=variant.pk).update(label_en="Renamed", price_amount=1)

    # then
    line = OrderLine.objects.get(sub_order__order=order)
    assert (line.variant_id, line.variant_label, line.title) == (
        variant.pk,
        "Large",
        product.title_fr,
    )
    assert (line.unit_price_amount, line.line_amount, line.weight_grams) == (
        52_000,
        104_000,
        2600,
    )
    assert order.items_amount == 104_000
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    assert not CartItem.objects.filter(cart__user=buyer).exists()


def test_a_heavier_variant_costs_more_to_ship() -> None:
    # given: the same tagine, the large one weighing 9 kg
    product = make_active_product(weight_grams=1800)
    small = make_variant(product, label_en="Small", sku="S", price_amount=45_000)
    large = make_variant(product, label_en="Large", sku="L", price_amount=45_000, weight_grams=9000)
    light_buyer = make_buyer(email="light@souk.example")
    heavy_buyer = make_buyer(email="heavy@souk.example")
    add(light_buyer, small)
    add(heavy_buyer, large)

    # when
    def shipping_of(buyer: User) -> int:
        cart = services.get_or_create_cart(user=buyer, cart_id=None)
        summary = selectors.summarize_checkout(cart=cart, country="FR", currency="MAD")
        return summary.shipping.amount

    # then
    assert shipping_of(heavy_buyer) > shipping_of(light_buyer)
