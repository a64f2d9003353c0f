"""The product page kept whole in the cache (souk/core/pagecache.py): what a visitor would check
is still true of a kept page: new prices and stock show at once, nobody sees another's cart or
gets another's CSRF token, languages and currencies do not mix, no session for a look."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.db.models import F
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from django.utils import translation

from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product, make_variant
from souk.core.models import ExchangeRate
from souk.orders.tests.factories import fill_cart, make_buyer

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def product_page(product: Product, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})


def token(html: str) -> str:
    found = TOKEN.search(html)
    assert found is not None
    return found.group(1)


def kept(response: HttpResponseBase) -> bool:
    return 'page;desc="kept"' in response.get("Server-Timing", "")


def test_a_kept_page_shows_a_new_stock_and_price_at_once(client):
    # given: the page seen twice, so served kept the second time
    product = make_active_product(stock_quantity=3, price_amount=45_000)
    client.get(product_page(product))
    assert kept(client.get(product_page(product)))
    # when: a piece is sold (an UPDATE of the row, as checkout does) and the price changes
    Product.objects.filter(pk=product.pk).update(
        stock_quantity=F("stock_quantity") - 1, price_amount=39_000
    )
    html = client.get(product_page(product)).content.decode()
    # then
    assert "2 pièces en stock" in html
    assert "3 pièces en stock" not in html
    assert "390,00" in html
    assert "450,00" not in html


def test_a_kept_page_shows_a_variant_sold_out(client):
    product = make_active_product()
    variant = make_variant(product, stock_quantity=1, label_fr="Petit / vert")
    assert "1 pièce en stock" in client.get(product_page(product)).content.decode()

    variant.__class__.objects.filter(pk=variant.pk).update(stock_quantity=0)
    html = client.get(product_page(product)).content.decode()

    assert "1 pièce en stock" not in html
    assert "En rupture de stock" in html


def test_an_anonymous_look_creates_no_session_and_sets_no_cookie_once_it_has_its_token(client):
    product = make_active_product()
    first = client.get(product_page(product))
    second = client.get(product_page(product))
    third = client.get(product_page(product))

    assert first.status_code == second.status_code == third.status_code == 200
    assert kept(second)
    assert kept(third)
    # The CSRF cookie is sent once, with the first page; no session is ever created.
    assert "sessionid" not in first.cookies
    assert "sessionid" not in second.cookies
    assert not second.cookies
    assert not third.cookies
    assert Session.objects.count() == 0
    assert "Cookie" in third["Vary"]
    assert third["X-Frame-Options"] == "DENY"
    assert third["Content-Language"] == "fr"


def test_the_token_of_a_kept_page_is_the_visitors_own_and_lets_them_add_to_cart():
    product = make_active_product()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get(product_page(product))
    page = second.get(product_page(product))
    assert kept(page)
    page_token = token(page.content.decode())

    added = second.post(
        reverse("orders:add_to_cart"),
        {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": page_token},
    )
    # Another visitor's cookie with this page's token is refused.
    refused = first.post(
        reverse("orders:add_to_cart"),
        {"product": product.pk, "quantity": 1, "csrfmiddlewaretoken": page_token},
    )

    assert added.status_code == 302
    assert refused.status_code == 403


def test_a_signed_in_buyer_never_sees_anothers_cart_or_name(client):
    product = make_active_product()
    other = make_active_product(shop=product.shop)
    salma, omar = make_buyer(full_name="Salma Alaoui"), make_buyer(full_name="Omar Bennani")
    fill_cart(salma, [(other, 2)])
    first, second = Client(), Client()
    first.force_login(salma)
    second.force_login(omar)

    salma_html = first.get(product_page(product)).content.decode()
    omar_page = second.get(product_page(product))
    omar_html = omar_page.content.decode()

    assert kept(omar_page)
    assert "Salma Alaoui" in salma_html
    assert '<span class="badge">2</span>' in salma_html
    assert "Omar Bennani" in omar_html
    assert "Salma Alaoui" not in omar_html
    assert '<span class="badge">2</span>' not in omar_html
    assert token(salma_html) != token(omar_html)


def test_languages_and_currencies_of_a_kept_page_do_not_mix(client):
    product = make_active_product(price_amount=112_000)
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 27), currency="EUR", mad_per_unit="10.8125"
    )
    euro_visitor = Client()
    session = euro_visitor.session
    session["currency"] = "EUR"
    session.save()

    for _ in range(2):
        euro = euro_visitor.get(product_page(product, "en")).content.decode()
        english = client.get(product_page(product, "en")).content.decode()
        arabic = client.get(product_page(product, "ar")).content.decode()

    assert "≈ €103.58" in euro
    assert "≈ €" not in english
    assert 'lang="en"' in english
    assert 'lang="ar" dir="rtl"' in arabic
    assert "≈ €" not in arabic


def test_the_delivery_line_follows_each_visitors_country_on_a_kept_page(client: Client) -> None:
    """The delivery line is a live part: two visitors without a session, one whose browser says
    Morocco and one the United States, each see their own country on the same kept page."""
    product = make_active_product()
    url = product_page(product, "en")
    first = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US")
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="en-US")
    moroccan = client.get(url, HTTP_ACCEPT_LANGUAGE="en-MA")
    assert first.status_code == again.status_code == moroccan.status_code == 200
    assert again.headers["Server-Timing"].startswith('page;desc="kept"')
    assert "Delivery to United States" in again.content.decode()
    assert "Delivery to Morocco" in moroccan.content.decode()
    assert "Delivery to United States" not in moroccan.content.decode()
