"""What a paid order's pages cost in SQL statements (issue #21): the checkout POST reads the
cart once and leaves an address kept as it is unwritten; the header's menu on pages that are
not kept (cart, checkout) is rendered once per account and state, not with two permission
queries on every page. The pages still show what they showed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.catalog.tests.factories import make_active_product
from souk.orders.models import Order, SavedAddress
from souk.orders.tests.factories import checkout_data, make_buyer

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: object) -> str:
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def statements(captured: CaptureQueriesContext, table: str, verb: str) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(verb) and f'"{table}"' in query["sql"]
    ]


def test_a_checkout_post_reads_the_cart_once_and_keeps_the_same_address_unwritten(
    client: Client,
) -> None:
    buyer = make_buyer()
    client.force_login(buyer)
    product = make_active_product()
    # A first order keeps the address; the second orders to it again, unchanged.
    client.post(url("orders:add_to_cart"), {"product": product.pk})
    assert client.post(url("orders:checkout"), checkout_data("a" * 32)).status_code == 302
    kept = SavedAddress.objects.get(user=buyer)
    client.post(url("orders:add_to_cart"), {"product": product.pk})

    with CaptureQueriesContext(connection) as captured:
        placed = client.post(url("orders:checkout"), checkout_data("b" * 32))

    order = Order.objects.get(checkout_token="b" * 32)
    assert placed["Location"] == url("payments:pay", reference=order.reference)
    assert order.ship_to_city == "Paris"
    assert len(statements(captured, "orders_cartitem", "SELECT")) == 1
    assert statements(captured, "orders_savedaddress", "UPDATE") == []
    assert list(SavedAddress.objects.filter(user=buyer)) == [kept]


def test_a_changed_address_is_still_kept(client: Client) -> None:
    buyer = make_buyer()
    client.force_login(buyer)
    product = make_active_product()
    for token, city in (("a" * 32, "Paris"), ("b" * 32, "Paris 11e")):
        client.post(url("orders:add_to_cart"), {"product": product.pk})
        data = checkout_data(token, city=city)
        assert client.post(url("orders:checkout"), data).status_code == 302

    assert SavedAddress.objects.get(user=buyer).city == "Paris 11e"


def test_the_menu_of_a_page_not_kept_costs_no_permission_query_the_second_time(
    client: Client,
) -> None:
    buyer = make_buyer(full_name="Salma Alaoui")
    client.force_login(buyer)
    client.post(url("orders:add_to_cart"), {"product": make_active_product().pk})
    first = client.get(url("orders:checkout")).content.decode()

    with CaptureQueriesContext(connection) as captured:
        again = client.get(url("orders:checkout")).content.decode()

    assert statements(captured, "auth_permission", "SELECT") == []
    assert "Salma Alaoui" in again
    assert 'class="cart-link">' in again
    assert again.count('name="csrfmiddlewaretoken"') == first.count('name="csrfmiddlewaretoken"')
    assert 'class="header-shop-link"' not in again
    # A role granted elsewhere shows its links on the next page.
    accounts.grant_role(user=buyer, role=Role.ARTISAN)
    assert 'class="header-shop-link"' in client.get(url("orders:cart")).content.decode()
