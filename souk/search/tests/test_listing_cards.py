"""The cards of a search page: their address, cover and price as the visitor reads them, the
day's rate read once per page however many cards it shows (catalog/_card.html and the
catalog template tags)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from souk.catalog import tasks as catalog_tasks
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core.models import ExchangeRate
from souk.search import tasks as search_tasks
from souk.shops.tests.factories import make_approved_shop

pytestmark = pytest.mark.django_db


def _in_euros(client) -> None:
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 27), currency="EUR", mad_per_unit="10.0000"
    )
    session = client.session
    session["currency"] = "EUR"
    session.save()


def _queries_of(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_search_page_in_euros_reads_the_rate_once_whatever_its_number_of_cards(client):
    # given: two tagines at 450 MAD, a visitor reading euros
    shop = make_approved_shop()
    made = [
        make_active_product(shop=shop, title_fr=f"Tajine {n}", price_amount=45_000)
        for n in range(2)
    ]
    search_tasks.index_products.call([product.pk for product in made])
    _in_euros(client)
    with translation.override("en"):
        path = reverse("search:search") + "?q=tajine"
    # The facets' sector, trade and region names are read once per process, by whichever
    # search page comes first: a page before reads them, and both pages measured come after
    # a new index version.
    _queries_of(client, path)
    search_tasks.index_products.call([product.pk for product in made])
    two_cards, html = _queries_of(client, path)
    assert html.count('class="product-card"') == 2
    # when: six of them (a new index version: the page is searched and rendered again)
    more = [
        make_active_product(shop=shop, title_fr=f"Tajine {n}", price_amount=45_000)
        for n in range(2, 6)
    ]
    search_tasks.index_products.call([product.pk for product in more])
    six_cards, html = _queries_of(client, path)
    # then: each card leads with the estimate in euros, and no query per card
    assert html.count('class="product-card"') == 6
    assert html.count("≈ €45.00") == 6
    assert html.count("MAD450.00 charged, rate of 27 Nov 2026") == 6
    assert six_cards == two_cards


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_a_card_links_to_its_product_page_and_shows_its_cover(
    client, language, django_capture_on_commit_callbacks
):
    # given: a teapot whose address needs its accents and apostrophe dropped, its photo ready
    product = make_active_product(title_fr="Théière à l'ancienne", title_ar="براد")
    with django_capture_on_commit_callbacks(execute=True):
        catalog_tasks.generate_photo_renditions.call(product.photos.get().pk)
    search_tasks.index_products.call([product.pk])
    product = Product.objects.get(pk=product.pk)
    with translation.override(language):
        search = reverse("search:search")
        detail = reverse("catalog:detail", args=[product.pk, product.slug])
    # when
    html = client.get(search, {"q": "براد" if language == "ar" else "théière"}).content.decode()
    # then: the card's link is the product page's address, and it opens that page
    card = re.search(r'<article class="product-card">.*?</article>', html, re.S)
    assert card is not None
    assert f'<a href="{detail}">' in card.group()
    assert detail.startswith(f"/{language}/")
    assert "-theiere-a-lancienne/" in detail
    assert client.get(detail).status_code == 200
    assert 'srcset="/media/products/' in card.group()
