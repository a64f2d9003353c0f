"""Carts and orders for tests, built through the real use cases (add to cart, place order)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from souk.accounts.models import User
from souk.accounts.tests.factories import make_user
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core.addresses import PostalAddress
from souk.orders import services
from souk.orders.models import Order, PaymentMethod
from souk.payments.gateways.registry import gateway_code_for_method

ADDRESSES = {
    "MA": PostalAddress(
        full_name="Salma Alaoui",
        line1="12 rue Ibn Batouta",
        line2="",
        city="Casablanca",
        region="",
        postal_code="20250",
        country="MA",
        phone="+212612345678",
    ),
    "FR": PostalAddress(
        full_name="Hélène Dupré",
        line1="8 rue de la Roquette",
        line2="",
        city="Paris",
        region="",
        postal_code="75011",
        country="FR",
        phone="+33612345678",
    ),
    "US": PostalAddress(
        full_name="Jane Miller",
        line1="400 W Broad St",
        line2="",
        city="Columbus",
        region="OH",
        postal_code="43215",
        country="US",
        phone="+16145550123",
    ),
}


def make_buyer(**fields: Any) -> User:
    return make_user(full_name=fields.pop("full_name", "Salma Alaoui"), **fields)


def fill_cart(buyer: User, products: Sequence[tuple[Product, int]]) -> None:
    cart = services.get_or_create_cart(user=buyer, cart_id=None)
    for product, quantity in products:
        services.add_to_cart(cart=cart, product_id=product.pk, quantity=quantity)


def place(
    buyer: User,
    *,
    country: str = "MA",
    payment_method: str = PaymentMethod.CARD,
    currency: str = "MAD",
    token: str | None = None,
) -> Order:
    cart = services.get_or_create_cart(user=buyer, cart_id=None)
    return services.place_order(
        buyer=buyer,
        cart=cart,
        address=ADDRESSES[country],
        payment_method=payment_method,
        checkout_token=token or uuid.uuid4().hex,
        currency=currency,
        language="fr",
    )


def make_unpaid_order(
    *,
    buyer: User | None = None,
    products: Sequence[tuple[Product, int]] | None = None,
    **options: Any,
) -> Order:
    """An order awaiting payment: by default one tagine (450 MAD, 3 in stock) from one shop."""
    buyer = buyer or make_buyer()
    fill_cart(buyer, products or [(make_active_product(), 1)])
    return place(buyer, **options)


def make_paid_order(**options: Any) -> Order:
    order = make_unpaid_order(**options)
    record_paid(order)
    return Order.objects.get(pk=order.pk)


def record_paid(order: Order) -> services.PaymentOutcome:
    """What the payments service tells orders once the order's total is captured."""
    return services.record_payment(
        order_id=order.pk, gateway=gateway_code_for_method(order.payment_method)
    )


def checkout_data(token: str = "a" * 32, **fields: str) -> dict[str, str]:
    """The checkout form as a buyer in Paris fills it, with `fields` changed."""
    data = {
        "country": "FR",
        "full_name": "Hélène Dupré",
        "line1": "8 rue de la Roquette",
        "line2": "",
        "city": "Paris",
        "postal_code": "75011",
        "phone": "06 12 34 56 78",
        "payment_method": "card",
        "save_address": "on",
        "checkout_token": token,
    }
    data.update(fields)
    return data
