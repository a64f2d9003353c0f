"""The header's live parts on a kept product page, kept per signed-in visitor (web/live.py,
core/visitor_state.py): each buyer sees only their own name, counts and favourites, a change
shows on the next page, and the page costs a fixed handful of queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from souk.accounts import services as accounts
from souk.accounts import sessions
from souk.accounts.models import User, UserSession
from souk.accounts.roles import Role
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core.pagecache import Handler
from souk.favourites.models import Favourite
from souk.notifications import services as notifications
from souk.notifications.tests.factories import CONTEXTS
from souk.orders.tests.factories import fill_cart, make_buyer

pytestmark = pytest.mark.django_db

CART = re.compile(r'class="cart-link">[^<]*<span class="badge">(\d+)</span>')
FAVOURITES = re.compile(r'id="favourites-count" class="badge"(?: hidden)?>(\d+)<')
UNREAD = re.compile(r"<summary[^>]*>[^<]*<span class=\"badge\">(\d+)</span></summary>")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def product_page(product: Product) -> str:
    with translation.override("fr"):
        return reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})


def header(html: str) -> tuple[int, int, int]:
    """The cart, favourites and unread counts of the header (0 when not shown)."""
    counts = []
    for pattern in (CART, FAVOURITES, UNREAD):
        found = pattern.search(html)
        counts.append(int(found.group(1)) if found else 0)
    return counts[0], counts[1], counts[2]


def kept(response: HttpResponseBase) -> bool:
    return 'page;desc="kept"' in response.get("Server-Timing", "")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_two_buyers_see_their_own_name_counts_and_favourites_on_the_same_kept_page() -> None:
    product = make_active_product()
    other = make_active_product(shop=product.shop)
    salma, omar = make_buyer(full_name="Salma Alaoui"), make_buyer(full_name="Omar Bennani")
    fill_cart(salma, [(other, 2)])
    Favourite.objects.create(user=salma, product=product)
    notifications.notify(
        recipient=omar, kind="order_paid_artisan", context=CONTEXTS["order_paid_artisan"]
    )
    first, second = signed_in(salma), signed_in(omar)
    # Each asks three times, in turn: the page and the header's parts are then kept.
    for _ in range(3):
        salma_page = first.get(product_page(product))
        omar_page = second.get(product_page(product))
    salma_html, omar_html = salma_page.content.decode(), omar_page.content.decode()

    assert kept(salma_page)
    assert kept(omar_page)
    assert "Salma Alaoui" in salma_html
    assert "Omar Bennani" not in salma_html
    assert "Omar Bennani" in omar_html
    assert "Salma Alaoui" not in omar_html
    assert header(salma_html) == (2, 1, 0)
    assert header(omar_html) == (0, 0, 1)
    assert "favourite--saved" in salma_html
    assert "favourite--saved" not in omar_html
    assert TOKEN.findall(salma_html)
    assert TOKEN.findall(omar_html)
    assert not set(TOKEN.findall(salma_html)) & set(TOKEN.findall(omar_html))


def test_a_change_shows_on_the_next_kept_page(client: Client) -> None:
    product = make_active_product()
    buyer = make_buyer(full_name="Salma Alaoui")
    client.force_login(buyer)
    for _ in range(2):
        assert header(client.get(product_page(product)).content.decode()) == (0, 0, 0)

    client.post(reverse("orders:add_to_cart"), {"product": product.pk, "quantity": 1})
    client.post(reverse("favourites:save", args=["piece", product.pk]))
    notifications.notify(
        recipient=buyer, kind="order_paid_artisan", context=CONTEXTS["order_paid_artisan"]
    )
    shown = client.get(product_page(product))  # with the messages: rendered, not kept
    page = client.get(product_page(product))
    html = page.content.decode()

    assert header(shown.content.decode()) == (1, 1, 1)
    assert kept(page)
    assert header(html) == (1, 1, 1)
    assert "favourite--saved" in html
    assert 'class="header-shop-link"' not in html
    # A role granted elsewhere shows its links on the next page.
    accounts.grant_role(user=buyer, role=Role.ARTISAN)
    assert 'class="header-shop-link"' in client.get(product_page(product)).content.decode()


def test_a_session_ended_elsewhere_signs_the_kept_page_out(client: Client) -> None:
    product = make_active_product()
    buyer = make_buyer(full_name="Salma Alaoui")
    client.force_login(buyer)
    client.get(product_page(product))
    assert "Salma Alaoui" in client.get(product_page(product)).content.decode()

    row = UserSession.objects.get(user=buyer)
    sessions.end_session(user=buyer, session_id=row.pk)

    assert "Salma Alaoui" not in client.get(product_page(product)).content.decode()


def test_a_signed_in_buyers_kept_page_runs_three_statements_at_most(client: Client) -> None:
    """The session with its user and the visitor's answers (one statement: the header's
    counts, permissions and favourites), and the page's fingerprint (two)."""
    product = make_active_product()
    buyer = make_buyer()
    fill_cart(buyer, [(product, 1)])
    client.force_login(buyer)
    for _ in range(2):
        client.get(product_page(product))

    with CaptureQueriesContext(connection) as queries:
        page = client.get(product_page(product))

    assert kept(page)
    assert header(page.content.decode())[0] == 1
    assert len(queries.captured_queries) <= 3, [q["sql"][:80] for q in queries]


def test_the_token_of_a_signed_in_kept_page_lets_its_buyer_add_to_cart() -> None:
    product = make_active_product()
    buyer = make_buyer()
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    client.get(product_page(product))
    page = client.get(product_page(product))
    assert kept(page)
    tokens = set(TOKEN.findall(page.content.decode()))

    added = client.post(
        reverse("orders:add_to_cart"),
        {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": tokens.pop()},
    )

    assert added.status_code == 302
    assert not tokens  # one token for the whole page
    assert header(client.get(product_page(product)).content.decode())[0] == 1


def test_the_served_handler_gives_each_buyer_their_own_kept_page() -> None:
    """As gunicorn serves it (souk/wsgi.py: pagecache.Handler, which reuses the address's
    resolution for a kept page), not through the test client's handler."""
    product = make_active_product()
    salma, omar = make_buyer(full_name="Salma Alaoui"), make_buyer(full_name="Omar Bennani")
    handler = Handler()

    def page(buyer: User) -> tuple[str, str]:
        cookie = signed_in(buyer).cookies[settings.SESSION_COOKIE_NAME].value
        environ = RequestFactory().get(product_page(product)).environ
        environ["HTTP_COOKIE"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
        statuses: list[str] = []

        def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            statuses.append(status)

        # As the test client does: the test's database connection stays open.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            answer = handler(environ, start_response)
            body = b"".join(answer)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return statuses[0], body.decode()

    for _ in range(2):
        salma_status, salma_html = page(salma)
        omar_status, omar_html = page(omar)

    assert salma_status == omar_status == "200 OK"
    assert "Salma Alaoui" in salma_html
    assert "Omar Bennani" not in salma_html
    assert "Omar Bennani" in omar_html
    assert product.title_fr in salma_html
