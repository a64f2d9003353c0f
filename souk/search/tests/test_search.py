"""The search, through the backend of the database the suite runs on (SQLite or PostgreSQL).

Products are made by the catalog's real use cases and indexed by calling the task's function
(`index_products.call`), except in the test of the worker, which runs the queued task.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from souk.catalog import services as catalog
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product, run_worker
from souk.registry.models import Region, Trade
from souk.search import tasks
from souk.search.backends import get_backend
from souk.search.backends.base import Availability, Cursor, SearchFilters
from souk.search.models import SearchDocument
from souk.search.selectors import search_products
from souk.shops.models import Shop
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db

NO_FILTERS = SearchFilters()
# The queries of PostgreSQL's time bound on a search (backends/budget.py): a savepoint, the
# statement timeout set back, the savepoint's release.
TIME_BOUND_QUERIES = 3 if connection.vendor == "postgresql" else 0
# SQLite: the kept term statistics read by each match of the words (backends/sqlite_terms.py).
TERM_STATISTICS_QUERIES = 1 if connection.vendor == "sqlite" else 0


def _index(*products: Product) -> None:
    tasks.index_products.call([product.pk for product in products])


def _ids(query: str, filters: SearchFilters = NO_FILTERS) -> list[int]:
    return list(get_backend().search(query, filters, 100, None).product_ids)


def _trade(code: str) -> Trade:
    return Trade.objects.get(pk=code)


def _rug(shop: Shop, **fields: Any) -> Product:
    """A rug of a rug maker of `shop`'s region: a listing of a pottery trade (the factories'
    default) is found by pottery words too, since sector and trade names are searchable."""
    weaver = make_approved_shop(trade_id="S07-T01", region_id=shop.region_id)
    return _product(weaver, title_fr="Tapis", trade=_trade("S07-T01"), **fields)


def _product(shop: Shop, **fields: Any) -> Product:
    fields.setdefault("description_fr", "Une pièce faite à la main.")
    return make_active_product(shop=shop, **fields)


@pytest.fixture
def shop() -> Shop:
    return make_approved_shop()


def test_arabic_query_without_diacritics_finds_a_title_with_them(shop):
    # given
    pottery = _product(shop, title_fr="", title_ar="الفَخَّار", description_ar="قطعة يدوية")
    # A rug of the rug trade: a listing of a pottery trade is found by "فخار" too (the
    # sector's name "الفخار والخزف والزليج" is searchable).
    _rug(shop)
    _index(*Product.objects.all())
    # when / then
    assert _ids("فخار") == [pottery.pk]
    assert _ids("الفخار") == [pottery.pk]


def test_french_words_match_without_accents_and_case(shop):
    # given
    tajine = _product(shop, title_fr="Tajine de Safi")
    carpet = _product(shop, title_fr="Tapis Berbère")
    _index(tajine, carpet)
    # when / then
    assert _ids("tajine safi") == [tajine.pk]
    assert _ids("berbere") == [carpet.pk]
    assert _ids("BERBÈRE") == [carpet.pk]


def test_english_and_spanish_titles_are_found(shop):
    # given
    lamp = _product(
        make_approved_shop(trade_id="S04-T06", region_id=shop.region_id),
        title_fr="",
        title_en="Brass lantern",
        description_en="Hand made.",
        trade=_trade("S04-T06"),
    )
    bowl = _product(shop, title_fr="", title_es="Cuenco de cerámica", description_es="Hecho.")
    _index(lamp, bowl)
    # when / then
    assert _ids("lantern") == [lamp.pk]
    assert _ids("ceramica") == [bowl.pk]


def test_title_matches_rank_above_description_matches(shop):
    # given: the description match is made first, so a lower id does not explain the order
    in_description = _product(
        shop, title_fr="Plat rond", description_fr="Un plat qui sert aussi de tajine."
    )
    in_title = _product(shop, title_fr="Tajine rouge", description_fr="Un plat rouge.")
    _index(in_description, in_title)
    # when / then
    assert _ids("tajine") == [in_title.pk, in_description.pk]


def test_in_stock_ranks_before_made_to_order_at_equal_relevance(shop):
    # given
    to_order = _product(
        shop, title_fr="Tajine", is_made_to_order=True, lead_time_days=10, stock_quantity=0
    )
    in_stock = _product(shop, title_fr="Tajine", stock_quantity=2)
    _index(to_order, in_stock)
    # when / then
    assert _ids("tajine") == [in_stock.pk, to_order.pk]


def test_counts_made_before_a_change_stay_in_use_until_their_max_age(shop, settings):
    # given: works over 1 MAD listed once (a filter without words: their counts are counted,
    # then kept)
    over_one = SearchFilters(min_price_amount=100)
    _index(_product(shop, title_fr="Tajine un"))
    assert get_backend().search("", over_one, 10, None).total == 1
    # when: another work is indexed
    _index(_product(shop, title_fr="Tajine deux"))
    # then: the results show it at once; the counts are a minute old at most
    settings.SOUK_FACET_COUNTS_MAX_AGE = 60
    results = get_backend().search("", over_one, 10, None)
    assert len(results.product_ids) == 2
    assert results.total == 1
    settings.SOUK_FACET_COUNTS_MAX_AGE = 0
    assert get_backend().search("", over_one, 10, None).total == 2


def test_counts_of_a_search_with_words_are_those_of_its_results_at_once(shop, settings):
    # given: "tajine" searched once, counts allowed to be a minute old
    settings.SOUK_FACET_COUNTS_MAX_AGE = 60
    _index(_product(shop, title_fr="Tajine un"))
    assert get_backend().search("tajine", NO_FILTERS, 10, None).total == 1
    # when: another tajine is indexed
    _index(_product(shop, title_fr="Tajine deux"))
    # then: its words' matches are counted with the page (one query): the counts are current
    results = get_backend().search("tajine", NO_FILTERS, 10, None)
    assert len(results.product_ids) == 2
    assert results.total == 2
    assert [(f.value, f.count) for f in results.facets["sector"]] == [("S01", 2)]


def test_filters_and_facet_counts_are_exact(shop):
    # given
    other_region = Region.objects.exclude(pk=shop.region_id).order_by("pk")[0]
    cheap = _product(shop, title_fr="Tajine petit", price_amount=15_000)
    middle = _product(shop, title_fr="Tajine moyen", price_amount=45_000, region=other_region)
    dear = _product(
        shop,
        title_fr="Tajine grand",
        price_amount=400_000,
        is_made_to_order=True,
        lead_time_days=20,
        stock_quantity=0,
    )
    _rug(shop, price_amount=45_000)
    _index(*Product.objects.all())
    sector = cheap.trade.sector_id
    # when
    results = get_backend().search("tajine", NO_FILTERS, 10, None)
    # then
    assert results.total == 3
    assert {(f.value, f.count) for f in results.facets["sector"]} == {(sector, 3)}
    assert {(f.value, f.count) for f in results.facets["region"]} == {
        (shop.region_id, 2),
        (other_region.pk, 1),
    }
    assert [(f.value, f.count) for f in results.facets["price"]] == [
        ("0-200", 1),
        ("200-500", 1),
        ("3000-", 1),
    ]
    assert _ids("tajine", SearchFilters(region_code=other_region.pk)) == [middle.pk]
    assert _ids("tajine", SearchFilters(min_price_amount=20_000, max_price_amount=50_000)) == [
        middle.pk
    ]
    assert _ids("tajine", SearchFilters(availability=Availability.MADE_TO_ORDER)) == [dear.pk]
    assert sorted(_ids("tajine", SearchFilters(availability=Availability.IN_STOCK))) == sorted(
        [cheap.pk, middle.pk]
    )
    assert _ids("tajine", SearchFilters(sector_code="ZZZ")) == []
    assert _ids("tajine", SearchFilters(trade_code=cheap.trade_id, min_price_amount=300_000)) == [
        dear.pk
    ]


def test_keyset_pagination_returns_every_result_once(shop):
    # given: equal scores for some (same title) and different ones for others
    made = [_product(shop, title_fr="Tajine") for _ in range(4)]
    made += [_product(shop, title_fr=f"Tajine tajine {n}") for n in range(3)]
    _index(*made)
    backend = get_backend()
    # when
    seen: list[int] = []
    after: Cursor | None = None
    pages = 0
    while True:
        results = backend.search("tajine", NO_FILTERS, 2, after)
        seen.extend(results.product_ids)
        pages += 1
        assert results.total == 7
        if results.next_cursor is None:
            break
        after = Cursor.decode(results.next_cursor.encode())
    # then
    assert sorted(seen) == sorted(p.pk for p in made)
    assert len(seen) == 7
    assert pages == 4
    assert seen == list(backend.search("tajine", NO_FILTERS, 100, None).product_ids)


def test_a_bad_cursor_token_is_page_one():
    assert Cursor.decode("not-a-cursor") is None
    assert Cursor.decode("") is None


@pytest.mark.django_db(transaction=True)
def test_a_paused_listing_leaves_the_results_once_the_worker_ran():
    # given: indexed through the queue, as in production; the nomenclature is loaded again
    # because the flush between transactional tests removes it
    call_command("load_nomenclature", stdout=io.StringIO())
    shop = make_approved_shop()
    product = _product(shop, title_fr="Tajine de Safi")
    run_worker()
    assert _ids("tajine") == [product.pk]
    # when
    catalog.pause_product(product=product, actor=owner_of(shop))
    assert _ids("tajine") == [product.pk]
    run_worker()
    # then
    assert _ids("tajine") == []
    assert not SearchDocument.objects.filter(pk=product.pk).exists()


def test_rebuild_command_indexes_visible_products_and_drops_others(shop):
    # given
    visible = _product(shop, title_fr="Tajine")
    hidden = _product(shop, title_fr="Tajine")
    _index(visible, hidden)
    Product.objects.filter(pk=hidden.pk).update(status="suspended")
    SearchDocument.objects.filter(pk=visible.pk).delete()
    # when
    call_command("rebuild_search_index", batch_size=1, stdout=None)
    # then
    assert _ids("tajine") == [visible.pk]


def test_typo_tolerance_on_latin_words(shop):
    # given
    tajine = _product(shop, title_fr="Tajine de Safi")
    _index(tajine)
    # when / then: corrected against the index's words on both backends, and completed as a
    # prefix from three letters
    assert _ids("tajinne") == [tajine.pk]
    assert _ids("safu") == [tajine.pk]
    assert _ids("taji") == [tajine.pk]


def test_search_page_lists_results_with_facets_and_echoes_the_query_safely(
    client, shop, django_assert_max_num_queries
):
    # given
    for n in range(5):
        _product(shop, title_fr=f"Tajine {n}")
    _index(*Product.objects.all())
    url = reverse("search:search")
    # when: "script" is no known word: one lookup of the vocabulary, its load for the typo
    # correction (once per index version), and no work has both words: a second count
    with django_assert_max_num_queries(15 + TIME_BOUND_QUERIES + 2 * TERM_STATISTICS_QUERIES):
        response = client.get(url, {"q": "tajine <script>"})
    with django_assert_max_num_queries(12 + TIME_BOUND_QUERIES + TERM_STATISTICS_QUERIES):
        response = client.get(url, {"q": "tajine"})
    # then
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="product-card"') == 5
    assert f"?q=tajine&amp;sector={Product.objects.all()[0].trade.sector_id}" in content
    escaped = client.get(url, {"q": "<b>tajine</b>"}).content.decode()
    assert "<b>tajine</b>" not in escaped
    assert "&lt;b&gt;tajine&lt;/b&gt;" in escaped


def test_search_page_without_results_suggests_the_craft_its_words_name(client, shop):
    # given: only a tajine ("poterie" finds it now: sector names are searchable)
    _index(_product(shop, title_fr="Tajine"))
    # when: a silver necklace, which no listing is
    response = client.get("/en/search/", {"q": "silver necklace"})
    # then: the jewellery craft is suggested, not a guess from the letters
    content = response.content.decode()
    assert response.status_code == 200
    assert "search__empty" in content
    assert "search__suggestion" in content
    assert reverse("browse:sector", args=["S05"]) in content


def test_a_paused_listing_still_indexed_is_not_shown(client, shop):
    # given: indexed, then paused without the task having run
    product = _product(shop, title_fr="Tajine")
    _index(product)
    Product.objects.filter(pk=product.pk).update(status="paused")
    # when
    page = search_products(query="tajine", filters=NO_FILTERS)
    # then
    assert page.products == []


def _run_queued_indexing() -> None:
    """Run the index tasks the moves queued (the worker's job), in this test's transaction."""
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.filter(task_path="souk.search.tasks.index_products"):
        tasks.index_products.call(*result.args_kwargs["args"])
        result.delete()


def test_suspending_a_shop_takes_its_listings_out_of_search_and_reinstating_brings_them_back(
    django_capture_on_commit_callbacks,
) -> None:
    from souk.shops import services as shops
    from souk.shops.tests.factories import make_moderator

    product = make_active_product(title_fr="Tajine vert de Tamegroute")
    _index(product)
    moderator = make_moderator()
    assert _ids("tamegroute") == [product.pk]

    with django_capture_on_commit_callbacks(execute=True):
        shops.moderate_shop(
            shop=product.shop, moderator=moderator, action="suspend", reason="Fraud check."
        )
    _run_queued_indexing()
    assert _ids("tamegroute") == []

    with django_capture_on_commit_callbacks(execute=True):
        shops.moderate_shop(
            shop=Shop.objects.get(pk=product.shop_id), moderator=moderator, action="reinstate"
        )
    _run_queued_indexing()
    assert _ids("tamegroute") == [product.pk]


@pytest.mark.parametrize("parameter", ["price_min", "price_max"])
def test_a_price_too_large_for_the_database_is_dropped_with_a_message(client, shop, parameter):
    # given
    _index(_product(shop, title_fr="Tajine"))
    # when
    response = client.get("/en/search/", {parameter: "99999999999999999999999"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a price of at most 1000000000 MAD." in html
    assert f"could not be read and were ignored: {parameter}." in html


def test_a_price_that_is_not_a_number_is_dropped_on_a_browse_page(client, shop):
    # given
    with translation.override("en"):
        url = reverse("browse:sector", args=[shop.register_entry.trade.sector_id])
    # when
    response = client.get(url, {"price_min": "cheap"})
    # then
    assert response.status_code == 200
    assert "Enter a price as a whole number of dirhams, e.g. 250." in response.content.decode()


def test_a_cursor_with_numbers_too_large_for_the_database_is_page_one(client, shop):
    # given
    tajine = _product(shop, title_fr="Tajine", price_amount=25_000)
    _index(tajine)
    huge = 10**30
    token = Cursor("price_asc", (huge,), huge).encode()
    # when
    response = client.get(reverse("search:search"), {"sort": "price_asc", "after": token})
    # then
    assert response.status_code == 200
    assert response.context["total"] == 1
    assert reverse("catalog:detail", args=[tajine.pk, tajine.slug]) in response.content.decode()


def test_documents_of_an_older_analysis_are_rebuilt_by_if_stale(shop):
    # given: a document as the previous analysis stored it (plain words, version 0)
    from souk.search.analysis import ANALYSIS_VERSION
    from souk.search.models import IndexVersion

    tajine = _product(shop, title_fr="Tajine de Safi")
    _index(tajine)
    SearchDocument.objects.filter(pk=tajine.pk).update(title_text="tajine de safi", body_text="")
    IndexVersion.objects.filter(pk=1).update(analysis_version=0)
    assert _ids("طاجين") == []
    # when
    out = io.StringIO()
    call_command("rebuild_search_index", if_stale=True, stdout=out)
    call_command("rebuild_search_index", if_stale=True, stdout=out)
    # then: rebuilt once, found in Arabic through the thesaurus
    assert out.getvalue().splitlines() == ["Indexed 1 products.", "The search index is up to date."]
    assert IndexVersion.objects.get(pk=1).analysis_version == ANALYSIS_VERSION
    assert _ids("طاجين") == [tajine.pk]
