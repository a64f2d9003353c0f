"""Saving and removing pieces and shops through HTTP, as a guest and as a buyer; the merge at
login and sign-up; the favourites page; one query for every button of a page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from souk.accounts.models import User
from souk.accounts.tests.factories import TEST_PASSWORD, make_user
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core.models import ExchangeRate
from souk.favourites.models import Favourite
from souk.search import tasks as search_tasks
from souk.shops.tests.factories import make_approved_shop

pytestmark = pytest.mark.django_db


def url(name: str, *args: object, language: str = "en") -> str:
    with translation.override(language):
        return reverse(name, args=args or None)


def buttons(html: str) -> dict[str, str]:
    """Each Save button of a page: its form's action -> its visible label."""
    found = re.findall(
        r'<form method="post" action="([^"]+)" class="favourite[^"]*".*?'
        r'aria-hidden="true">.</span> (\w+)<',
        html,
        re.S,
    )
    return dict(found)


def saved_of(user: User) -> tuple[set[int], set[int]]:
    rows = Favourite.objects.filter(user=user).values_list("product_id", "shop_id")
    return {p for p, _s in rows if p}, {s for _p, s in rows if s}


def test_a_guest_saves_a_piece_from_its_page_and_returns_to_it(client) -> None:
    # given
    tagine = make_active_product(title_en="Blue tagine")
    page = url("catalog:detail", tagine.pk, tagine.slug)
    html = client.get(page).content.decode()
    assert buttons(html) == {url("favourites:save", "piece", tagine.pk): "Save"}
    # when: the form is posted without JavaScript
    response = client.post(url("favourites:save", "piece", tagine.pk), {"next": page})
    # then: back on the page, the button now says Saved, the header counts one
    assert response.status_code == 302
    assert response["Location"] == page
    html = client.get(page).content.decode()
    assert buttons(html) == {url("favourites:remove", "piece", tagine.pk): "Saved"}
    assert re.search(r'id="favourites-count" class="badge">1<', html)
    assert Favourite.objects.count() == 0  # a guest's favourites stay in their session


def test_a_guest_removes_a_saved_piece(client) -> None:
    tagine = make_active_product()
    client.post(url("favourites:save", "piece", tagine.pk))
    client.post(url("favourites:remove", "piece", tagine.pk))
    page = client.get(url("favourites:list"))
    assert page.context["page"].pieces == []


def test_a_buyer_saves_and_removes_a_piece_and_a_shop(client) -> None:
    # given
    tagine = make_active_product()
    shop = make_approved_shop()
    buyer = make_user()
    client.force_login(buyer)
    # when
    client.post(url("favourites:save", "piece", tagine.pk))
    client.post(url("favourites:save", "piece", tagine.pk))  # twice: kept once
    client.post(url("favourites:save", "shop", shop.pk))
    # then
    assert saved_of(buyer) == ({tagine.pk}, {shop.pk})
    html = client.get(url("shops:detail", shop.slug)).content.decode()
    assert buttons(html) == {url("favourites:remove", "shop", shop.pk): "Saved"}
    # when
    client.post(url("favourites:remove", "piece", tagine.pk))
    client.post(url("favourites:remove", "shop", shop.pk))
    # then
    assert saved_of(buyer) == (set(), set())


def test_a_piece_not_on_sale_cannot_be_saved(client) -> None:
    paused = make_active_product()
    Product.objects.filter(pk=paused.pk).update(status="paused")
    response = client.post(url("favourites:save", "piece", paused.pk))
    assert response.status_code == 404
    assert "This piece or shop is not on Souk, or no longer shown." in response.content.decode()
    assert client.get(url("favourites:list")).context["page"].pieces == []


def test_an_unknown_kind_is_not_found(client) -> None:
    tagine = make_active_product()
    assert client.post(url("favourites:save", "order", tagine.pk)).status_code == 404


def test_htmx_swaps_the_button_and_the_count(client) -> None:
    tagine = make_active_product(title_en="Blue <tagine>")
    response = client.post(
        url("favourites:save", "piece", tagine.pk),
        {"next": "/en/"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert buttons(html) == {url("favourites:remove", "piece", tagine.pk): "Saved"}
    assert ": <bdi>Blue &lt;tagine&gt;</bdi>" in html
    assert '<span id="favourites-count" class="badge" hx-swap-oob="true">1</span>' in html


def test_guest_favourites_join_the_account_at_login_without_duplicates(client) -> None:
    # given: the account already keeps the tagine; the guest saved the tagine, a bowl, a shop
    tagine = make_active_product()
    bowl = make_active_product(shop=tagine.shop)
    shop = make_approved_shop()
    buyer = make_user(email="salma@souk.example")
    Favourite.objects.create(user=buyer, product=tagine)
    for kind, pk in (("piece", tagine.pk), ("piece", bowl.pk), ("shop", shop.pk)):
        client.post(url("favourites:save", kind, pk))
    # when
    response = client.post(
        url("accounts:login"), {"username": "salma@souk.example", "password": TEST_PASSWORD}
    )
    # then
    assert response.status_code == 302
    assert Favourite.objects.filter(user=buyer).count() == 3
    assert saved_of(buyer) == ({tagine.pk, bowl.pk}, {shop.pk})
    page = client.get(url("favourites:list")).context["page"]
    assert [saved.product.pk for saved in page.pieces] == [bowl.pk, tagine.pk]
    # and logging out leaves the guest session empty: nothing is merged twice
    client.post(url("accounts:logout"))
    assert client.get(url("favourites:list")).context["page"].pieces == []


def test_guest_favourites_join_a_new_account_at_sign_up(client) -> None:
    tagine = make_active_product()
    client.post(url("favourites:save", "piece", tagine.pk))
    response = client.post(
        url("accounts:signup"),
        {
            "full_name": "Hélène Dupré",
            "email": "helene@souk.example",
            "phone": "",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
            "preferred_language": "fr",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    buyer = User.objects.get(email="helene@souk.example")
    assert saved_of(buyer) == ({tagine.pk}, set())


def test_the_page_lists_current_price_in_the_visitor_currency_and_availability(client) -> None:
    # given: a tagine whose price changed since it was saved, a sold-out bowl, a vase by variant
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 27), currency="USD", mad_per_unit="10.0000"
    )
    tagine = make_active_product(title_en="Blue tagine", price_amount=45_000)
    bowl = make_active_product(shop=tagine.shop, title_en="Green bowl", stock_quantity=1)
    buyer = make_user(preferred_currency="USD")
    client.force_login(buyer)
    client.post(url("favourites:save", "piece", tagine.pk))
    client.post(url("favourites:save", "piece", bowl.pk))
    Product.objects.filter(pk=tagine.pk).update(price_amount=40_000)
    Product.objects.filter(pk=bowl.pk).update(stock_quantity=0)
    # when
    html = client.get(url("favourites:list")).content.decode()
    # then
    cards = re.findall(r'<li class="product-card">(.*?)</li>', html, re.S)
    assert len(cards) == 2
    assert "Green bowl" in cards[0]
    assert "Out of stock" in cards[0]
    assert "Blue tagine" in cards[1]
    assert "In stock" in cards[1]
    assert "≈ $40.00" in cards[1]
    assert "MAD400.00 charged, rate of 27 Nov 2026" in cards[1]


def _page_queries(client, address: str) -> tuple[int, int, str]:
    """The queries of a page: all of them, those reading favourites, and the page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    reads = [query["sql"] for query in queries.captured_queries]
    return (
        len(reads),
        sum("favourites_favourite" in sql for sql in reads),
        response.content.decode(),
    )


@pytest.mark.parametrize("count", [1, 24])
def test_a_listing_page_reads_favourites_once_whatever_its_cards(client, count) -> None:
    # given: a full page of works (24) or one, three of them saved by the buyer
    shop = make_approved_shop()
    works = [make_active_product(shop=shop, title_fr=f"Tajine {number}") for number in range(count)]
    search_tasks.index_products.call([work.pk for work in works])
    buyer = make_user()
    for work in works[:3]:
        Favourite.objects.create(user=buyer, product=work)
    client.force_login(buyer)
    address = url("search:search")
    client.get(address)  # the listing is now kept in the cache, as for most visitors
    # when
    total, favourites_reads, html = _page_queries(client, address)
    # then: one query for every button and the header's count, the visitor's answers read with
    # the rest of the header's (core/visitor_state.py); the saved ids are kept under them
    assert favourites_reads == 1
    found = buttons(html)
    assert len(found) == count
    assert sorted(found.values()).count("Saved") == min(count, 3)
    # and a buyer with no favourite costs the same
    client.force_login(make_user())
    client.get(address)
    assert _page_queries(client, address)[:2] == (total, 1)


def test_a_kept_product_page_shows_a_visitor_without_a_session_a_button_that_works() -> None:
    """The product page kept for visitors without a session (souk/core/pagecache.py) is served
    before this app's middleware: its Save button is filled there, with the visitor's own CSRF
    token, and saving from it works with CSRF checks on."""
    from django.test import Client

    tagine = make_active_product(title_en="Blue tagine")
    page = url("catalog:detail", tagine.pk, tagine.slug)
    Client().get(page)  # the first visitor makes the kept page
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(page)
    html = response.content.decode()
    assert response.headers["Server-Timing"].startswith('page;desc="kept"')
    assert buttons(html) == {url("favourites:save", "piece", tagine.pk): "Save"}
    token = re.search(
        r'class="favourite[^"]*".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S
    )
    assert token is not None
    saved = visitor.post(
        url("favourites:save", "piece", tagine.pk),
        {"next": page, "csrfmiddlewaretoken": token.group(1)},
    )
    assert saved.status_code == 302
    assert buttons(visitor.get(page).content.decode()) == {
        url("favourites:remove", "piece", tagine.pk): "Saved"
    }
