"""Sorting, the material and shop filters, and the browse pages (sector, trade, region), through
the backend of the database the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from souk.catalog import services
from souk.catalog.models import Product
from souk.catalog.services import VariantDetails
from souk.catalog.tests.factories import make_active_product, make_variant
from souk.core.tests.pages import without_csrf_tokens
from souk.registry.models import Region, Trade
from souk.search import tasks
from souk.search.backends import get_backend
from souk.search.backends.base import Cursor, SearchFilters, Sort
from souk.search.models import SearchDocument
from souk.search.tests.test_search import TIME_BOUND_QUERIES
from souk.shops.models import Shop
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db

NO_FILTERS = SearchFilters()
# The most queries a listing page may run, with 1 work or 20 (docs/catalog.md); then the same
# page again, its listing kept in the cache: the index version, a browse page's sector, trade
# or region.
LISTING_PAGE_QUERIES = 11 + TIME_BOUND_QUERIES
LISTING_PAGE_QUERIES_AGAIN = 2
SHOP_PAGE_QUERIES = 13 + TIME_BOUND_QUERIES


def _index_all() -> None:
    tasks.index_products.call(list(Product.objects.values_list("pk", flat=True)))


def _card_titles(html: str) -> list[str]:
    return [unescape(title) for title in re.findall(r'class="product-card__title">([^<]*)<', html)]


def _next_link(html: str) -> str:
    """The address of the "More results" link, or "" on the last page."""
    found = re.search(r'<a href="([^"]*)" rel="next">', html)
    return unescape(found.group(1)) if found else ""


def _product(shop: Shop, **fields: Any) -> Product:
    fields.setdefault("description_fr", "Une pièce faite à la main.")
    return make_active_product(shop=shop, **fields)


def _all_pages(query: str, sort: str, filters: SearchFilters = NO_FILTERS) -> list[int]:
    """Every result, two at a time, following the cursors through their text form."""
    backend = get_backend()
    seen: list[int] = []
    after: Cursor | None = None
    while True:
        results = backend.search(query, filters, 2, after, sort)
        seen.extend(results.product_ids)
        if results.next_cursor is None:
            return seen
        after = Cursor.decode(results.next_cursor.encode())
        assert after is not None


@pytest.fixture
def shop() -> Shop:
    return make_approved_shop()


def _published(product: Product, days_ago: int) -> None:
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Product.objects.filter(pk=product.pk).update(published_at=moment)


def test_each_sort_pages_through_every_result_once_in_its_order(shop):
    # given: equal prices and equal publication times, so the id must break the ties
    prices = [30_000, 10_000, 20_000, 10_000, 50_000]
    made = [_product(shop, title_fr="Tajine", price_amount=price) for price in prices]
    for product, days_ago in zip(made, [3, 1, 1, 5, 2], strict=True):
        _published(product, days_ago)
    _index_all()
    by_price = sorted(made, key=lambda p: (p.price_amount, p.pk))
    newest = sorted(
        Product.objects.filter(pk__in=[p.pk for p in made]),
        key=lambda p: (p.published_at, p.pk),
        reverse=True,
    )
    # when / then
    assert _all_pages("", Sort.PRICE_ASCENDING) == [p.pk for p in by_price]
    assert _all_pages("", Sort.PRICE_DESCENDING) == [
        p.pk for p in sorted(made, key=lambda p: (p.price_amount, p.pk), reverse=True)
    ]
    assert _all_pages("tajine", Sort.NEWEST) == [p.pk for p in newest]
    assert sorted(_all_pages("tajine", Sort.RELEVANCE)) == sorted(p.pk for p in made)


def test_a_cursor_of_another_sort_reads_as_page_one(shop):
    # given
    for price in (10_000, 20_000, 30_000):
        _product(shop, title_fr="Tajine", price_amount=price)
    _index_all()
    backend = get_backend()
    first = backend.search("", NO_FILTERS, 1, None, Sort.PRICE_ASCENDING)
    assert first.next_cursor is not None
    # when
    other = backend.search("", NO_FILTERS, 1, first.next_cursor, Sort.PRICE_DESCENDING)
    # then
    assert (
        other.product_ids
        == backend.search("", NO_FILTERS, 1, None, Sort.PRICE_DESCENDING).product_ids
    )


def test_cursor_tokens_round_trip_and_refuse_what_does_not_fit():
    moment = datetime.datetime(2026, 11, 29, 10, 0, 0, 123456, tzinfo=datetime.UTC)
    for cursor in (
        Cursor(Sort.RELEVANCE, (-1.5, 0), 7),
        Cursor(Sort.NEWEST, (moment,), 8),
        Cursor(Sort.PRICE_DESCENDING, (45_000,), 9),
    ):
        assert Cursor.decode(cursor.encode()) == cursor
    assert Cursor.decode(Cursor(Sort.PRICE_ASCENDING, (1.5,), 1).encode()) is None
    assert Cursor.decode(Cursor("cheapest", (1,), 1).encode()) is None
    assert Cursor.decode(Cursor(Sort.RELEVANCE, (0.0, 2), 1).encode()) is None


def test_material_filter_matches_the_start_of_a_material_word_only(shop):
    # given
    clay = _product(shop, title_fr="Tajine", materials="argile, émail")
    _product(shop, title_fr="Tajine", materials="cuivre", description_fr="Pas d'argile ici.")
    _index_all()
    # when / then: accents and case do not matter; the description is not a material
    assert list(
        get_backend().search("", SearchFilters(material="ÉMAIL"), 10, None).product_ids
    ) == [clay.pk]
    assert list(get_backend().search("", SearchFilters(material="argi"), 10, None).product_ids) == [
        clay.pk
    ]
    assert (
        list(get_backend().search("", SearchFilters(material="gile"), 10, None).product_ids) == []
    )


def test_shop_filter_keeps_the_works_of_that_shop(shop):
    # given
    mine = _product(shop, title_fr="Tajine")
    _product(make_approved_shop(), title_fr="Tajine")
    _index_all()
    # when
    results = get_backend().search("", SearchFilters(shop_id=shop.pk), 10, None)
    # then
    assert list(results.product_ids) == [mine.pk]
    # The materials' analysed tokens: the word, its stem, its thesaurus concept (clay).
    assert "argile" in SearchDocument.objects.get(pk=mine.pk).materials_text.split()


def test_sector_page_lists_its_works_with_trades_linked_to_their_pages(client, shop):
    # given
    tajine = _product(shop, title_fr="Tajine rouge")
    _index_all()
    trade = tajine.trade
    # when
    response = client.get(reverse("browse:sector", args=[trade.sector_id]))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 id="browse-title">{trade.sector.name}</h1>' in html
    assert "Tajine rouge" in html
    assert f'href="{reverse("browse:trade", args=[trade.sector_id, trade.pk])}"' in html
    # The sector is fixed by the address: no sector facet, no sector parameter kept.
    assert "?sector=" not in html


def test_trade_page_lists_only_that_trades_works_and_links_back_to_its_sector(client, shop):
    # given
    tajine = _product(shop, title_fr="Tajine rouge")
    other_trade = Trade.objects.filter(sector_id="S01", sells_goods=True).exclude(
        pk=tajine.trade_id
    )[0]
    _product(shop, title_fr="Plat bleu", trade=other_trade)
    _index_all()
    # when
    response = client.get(reverse("browse:trade", args=["S01", tajine.trade_id]))
    # then
    html = response.content.decode()
    assert "Tajine rouge" in html
    assert "Plat bleu" not in html
    assert f'<a href="{reverse("browse:sector", args=["S01"])}">' in html


def test_trade_under_another_sector_and_unknown_codes_are_404(client):
    assert client.get(reverse("browse:trade", args=["S02", "S01-T02"])).status_code == 404
    assert client.get(reverse("browse:sector", args=["S99"])).status_code == 404
    assert client.get(reverse("browse:region", args=["99"])).status_code == 404


def test_region_page_filters_sorts_and_links_the_next_page(client, shop):
    # given
    region = Region.objects.get(pk=shop.region_id)
    for price in (90_000, 10_000, 50_000):
        _product(shop, title_fr=f"Tajine {price}", price_amount=price)
    _product(shop, title_fr="Tajine ailleurs", region=Region.objects.exclude(pk=region.pk)[0])
    _index_all()
    url = reverse("browse:region", args=[region.pk])
    # when
    first = client.get(url, {"sort": "price_asc", "price_max": "800"}).content.decode()
    # then
    assert _card_titles(first) == ["Tajine 10000", "Tajine 50000"]
    assert '<option value="price_asc" selected>' in first
    # when: one work a page, through the next links
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("souk.search.selectors.PAGE_SIZE", 1)
        titles = []
        link = "?sort=price_desc"
        while link:
            html = client.get(url + link).content.decode()
            titles += _card_titles(html)
            link = _next_link(html)
            assert "region=" not in link
    assert titles == ["Tajine 90000", "Tajine 50000", "Tajine 10000"]


def test_browse_page_has_its_meta_and_hreflang(client, shop):
    _index_all()
    html = client.get("/ar/crafts/S01/").content.decode()
    assert '<link rel="canonical" href="http://testserver/ar/crafts/S01/">' in html
    assert '<meta property="og:url" content="http://testserver/ar/crafts/S01/">' in html
    assert '<meta property="og:locale" content="ar_AR">' in html
    assert '<meta property="og:type" content="website">' in html
    assert '<link rel="alternate" hreflang="es" href="http://testserver/es/crafts/S01/">' in html


def _make_works(shop: Shop, count: int) -> None:
    for n in range(count):
        _product(shop, title_fr=f"Tajine {n}")
    _index_all()


@pytest.mark.parametrize("count", [1, 20])
def test_listing_pages_run_a_bounded_number_of_queries(
    client, shop, count, django_assert_max_num_queries
):
    _make_works(shop, count)
    for url in (
        reverse("search:search"),
        reverse("search:search") + "?q=tajine&sort=price_desc",
        reverse("browse:sector", args=["S01"]),
        reverse("browse:trade", args=["S01", "S01-T02"]),
        reverse("browse:region", args=[shop.region_id]),
    ):
        with django_assert_max_num_queries(LISTING_PAGE_QUERIES):
            response = client.get(url)
        assert response.content.decode().count('class="product-card"') == count
        with django_assert_max_num_queries(LISTING_PAGE_QUERIES_AGAIN):
            again = client.get(url)
        assert without_csrf_tokens(again.content.decode()) == without_csrf_tokens(
            response.content.decode()
        )
    with django_assert_max_num_queries(SHOP_PAGE_QUERIES):
        response = client.get(reverse("shops:detail", args=[shop.slug]), {"sort": "newest"})
    assert response.content.decode().count('class="product-card"') == count


def test_a_kept_listing_page_is_not_shown_after_a_listing_changes(
    client, shop, django_capture_on_commit_callbacks
):
    # given: the search page seen once, so kept in the cache
    first = _product(shop, title_fr="Tajine rouge")
    _index_all()
    url = reverse("search:search") + "?q=tajine"
    assert _card_titles(client.get(url).content.decode()) == ["Tajine rouge"]
    # when: another listing is indexed
    second = _product(shop, title_fr="Tajine vert")
    tasks.index_products.call([second.pk])
    # then
    assert sorted(_card_titles(client.get(url).content.decode())) == [
        "Tajine rouge",
        "Tajine vert",
    ]
    # when: the first is paused by its artisan, its indexing queued, the task not run yet
    with django_capture_on_commit_callbacks(execute=True):
        services.pause_product(product=first, actor=owner_of(shop))
    # then: gone from the page at once
    assert _card_titles(client.get(url).content.decode()) == ["Tajine vert"]


def test_a_product_with_variants_is_in_stock_while_a_variant_on_sale_has_a_piece(shop):
    # given: its own stock 3, one variant on sale with none left
    product = _product(shop, title_fr="Babouches", stock_quantity=3)
    variant = make_variant(product, stock_quantity=0)
    _index_all()
    in_stock = SearchFilters(availability="in_stock")
    # then: the variants' stock is what is sold
    assert list(get_backend().search("babouches", in_stock, 10, None).product_ids) == []
    # when: the artisan adds two pieces of the variant
    services.update_variant(
        product=product,
        actor=owner_of(shop),
        variant_id=variant.pk,
        details=VariantDetails(
            label_ar=variant.label_ar,
            label_fr=variant.label_fr,
            label_en=variant.label_en,
            label_es=variant.label_es,
            sku=variant.sku,
            price_amount=variant.price_amount,
            stock_quantity=2,
        ),
    )
    _index_all()
    # then
    assert list(get_backend().search("babouches", in_stock, 10, None).product_ids) == [product.pk]
