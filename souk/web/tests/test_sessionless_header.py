"""The header's live parts for visitors with neither an account nor a session (web/live.py):
rendered once and shared by such visitors' pages, never by a visitor with a session."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product

pytestmark = pytest.mark.django_db

PARTS = {"web/_header_shop_link.html", "web/_site_menu_account.html"}
CART = re.compile(r'class="cart-link">[^<]*<span class="badge">(\d+)</span>')


def product_page(product: Product) -> str:
    with translation.override("fr"):
        return reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})


def rendered_parts(response: object) -> set[str]:
    return {template.name for template in response.templates} & PARTS  # type: ignore[attr-defined]


def test_visitors_without_a_session_share_one_render_of_the_header_parts() -> None:
    # given: a first page seen by a visitor without a session
    first, second = make_active_product(), make_active_product()
    seen = Client().get(product_page(first))
    # when: another page never seen, by another visitor without a session
    response = Client().get(product_page(second))
    # then: its header parts come from the first render, the same text
    assert seen.status_code == response.status_code == 200
    assert rendered_parts(seen) == PARTS
    assert rendered_parts(response) == set()
    menu = re.compile(r'<nav class="account-nav".*?</nav>', re.S)
    shown, first_shown = menu.search(response.content.decode()), menu.search(seen.content.decode())
    assert shown is not None
    assert first_shown is not None
    assert shown.group(0) == first_shown.group(0)
    assert reverse("accounts:login") in response.content.decode()


def test_a_guest_with_a_cart_sees_their_own_count_after_sessionless_pages() -> None:
    # given: a page made for a visitor without a session, and a guest who put a piece in a cart
    product, other = make_active_product(), make_active_product()
    assert Client().get(product_page(product)).status_code == 200
    guest = Client()
    added = guest.post(reverse("orders:add_to_cart"), {"product": product.pk, "quantity": 1})
    assert added.status_code in (200, 302)
    # when: the guest opens a page never seen
    response = guest.get(product_page(other))
    # then: the header is rendered for them, with their cart
    assert rendered_parts(response) == PARTS
    found = CART.search(response.content.decode())
    assert found is not None
    assert found.group(1) == "1"
