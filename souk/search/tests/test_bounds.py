"""Bounded searches, on the database the suite runs on (SQLite or PostgreSQL): a time limit on
every search (a tiny SOUK_SEARCH_TIMEOUT_MS over many documents), a bounded set of ranked
matches, the browse pages' kept counts, and parameters that cannot be read."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from souk.catalog import services as catalog
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.registry.models import Trade
from souk.search import tasks
from souk.search.backends import kept_counts
from souk.search.models import KeptCount, SearchDocument
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db

# Rows of the index standing for a large catalogue's rugs.
MANY = 20_000
TOO_LONG = "This search took too long"


def _card_titles(html: str) -> list[str]:
    return [unescape(title) for title in re.findall(r'class="product-card__title">([^<]*)<', html)]


def _rug(region: str = "01", **fields: Any) -> Product:
    weaver = make_approved_shop(trade_id="S07-T01", region_id=region)
    fields.setdefault("title_fr", "Tapis berbère")
    fields.setdefault("description_fr", "Une pièce faite à la main.")
    return make_active_product(shop=weaver, trade=Trade.objects.get(pk="S07-T01"), **fields)


def _index(*products: Product) -> None:
    tasks.index_products.call([product.pk for product in products])


@pytest.fixture
def many_rugs(db: Any) -> Iterator[Product]:
    """MANY documents of a year-old rug, "tapis" in its description only (index rows only:
    their product ids, below any listing's, have no listing to show; removed before the test's
    constraints are checked), and one real rug listing, the newest."""
    a_year_ago = timezone.now() - datetime.timedelta(days=365)
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                product_id=-number,
                title_text="piece",
                body_text="tapis tapi zzcrug laine zzss07 zzts07t01",
                materials_text="laine",
                sector_code="S07",
                trade_code="S07-T01",
                region_code="01",
                shop_id=0,
                price_amount=50_000,
                is_in_stock=True,
                is_made_to_order=False,
                published_at=a_year_ago,
            )
            for number in range(1, MANY + 1)
        ],
        batch_size=2000,
    )
    rug = _rug()
    _index(rug)
    cache.clear()
    yield rug
    SearchDocument.objects.filter(product_id__lt=0).delete()


def test_a_search_out_of_time_shows_the_newest_matches_with_a_notice(client, settings, many_rugs):
    # given: no search of MANY documents ends within a millisecond
    settings.SOUK_SEARCH_TIMEOUT_MS = 1
    # when
    response = client.get("/en/search/", {"q": "tapis"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert TOO_LONG in html
    assert _card_titles(html) == ["Tapis berbère"]
    french = client.get("/fr/search/", {"q": "tapis"}).content.decode()
    assert "Cette recherche a pris trop de temps" in french


def test_a_browse_page_out_of_time_shows_the_newest_works_with_a_notice(
    client, settings, many_rugs
):
    # given: a price filter, so the page counts its works (no kept counts)
    settings.SOUK_SEARCH_TIMEOUT_MS = 1
    with translation.override("en"):
        url = reverse("browse:sector", args=["S07"])
    # when
    response = client.get(url, {"price_min": "100"})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert TOO_LONG in html
    assert _card_titles(html) == ["Tapis berbère"]


def test_a_search_out_of_time_is_searched_again_not_kept(client, settings, many_rugs):
    # given: a search that ran out of time
    settings.SOUK_SEARCH_TIMEOUT_MS = 1
    assert TOO_LONG in client.get("/en/search/", {"q": "tapis"}).content.decode()
    # when: the same search with time enough
    settings.SOUK_SEARCH_TIMEOUT_MS = 60_000
    html = client.get("/en/search/", {"q": "tapis"}).content.decode()
    # then: searched again, ranked and counted (the ranked matches bounded)
    assert TOO_LONG not in html
    assert "At least 1000 works found" in html


def test_a_common_word_ranks_only_the_newest_matches(client, settings):
    # given: three rugs, at most two ranked
    settings.SOUK_SEARCH_CANDIDATES = 2
    _old, middle, new = [_rug(title_fr=f"Tapis {name}") for name in ("ancien", "moyen", "neuf")]
    _index(*Product.objects.all())
    # when
    html = client.get("/en/search/", {"q": "tapis"}).content.decode()
    # then
    assert "At least 2 works found" in html
    assert sorted(_card_titles(html)) == sorted([middle.title_fr, new.title_fr])


def _counted() -> dict[tuple[str, str, str], int]:
    return {
        (row.scope, row.facet, row.value): row.count
        for row in KeptCount.objects.filter(count__gt=0)
    }


def test_kept_counts_follow_indexing_and_removal_exactly(client):
    # given: listings of two sectors in two regions, indexed, then one paused
    rugs = [_rug(region) for region in ("01", "01", "02")]
    pot = make_active_product(shop=make_approved_shop(region_id="02"), price_amount=450_000)
    _index(*rugs, pot)
    catalog.pause_product(product=rugs[0], actor=owner_of(rugs[0].shop))
    _index(rugs[0])
    # then: the kept counts are what counting every document again gives
    kept = _counted()
    kept_counts.rebuild()
    assert kept == _counted()
    assert kept[("", "total", "")] == 3
    assert kept[("sector:S07", "region", "01")] == 1
    assert kept[("region:02", "sector", "S07")] == 1
    # and the browse pages show them
    with translation.override("en"):
        sector_page = client.get(reverse("browse:sector", args=["S07"])).content.decode()
        region_page = client.get(reverse("browse:region", args=["02"])).content.decode()
    assert "2 works found" in sector_page
    assert "2 works found" in region_page


def test_a_trade_under_another_sectors_address_counts_nothing(client):
    # given
    _index(_rug())
    # when: the rug trade's counts asked with the pottery sector
    html = client.get("/en/search/", {"sector": "S01", "trade": "S07-T01"}).content.decode()
    # then
    assert "0 works found" in html


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"sort": "bogus"}, "These parameters could not be read and were ignored: sort."),
        ({"sector": "S07X"}, "These parameters could not be read and were ignored: sector."),
        ({"price_min": "-5"}, "These parameters could not be read and were ignored: price_min."),
        (
            {"price_min": "99999999999999999999999"},
            "These parameters could not be read and were ignored: price_min.",
        ),
        ({"q": "tapis " + "x" * 300}, "Your search was cut to its first 200 characters."),
    ],
)
def test_a_parameter_that_cannot_be_read_is_dropped_with_a_notice(client, params, notice):
    # given
    _index(_rug())
    # when
    response = client.get("/en/search/", {"q": "tapis", **params})
    # then: the words searched, the parameter named
    assert response.status_code == 200
    html = response.content.decode()
    assert notice in html
    assert _card_titles(html) == ["Tapis berbère"]
    assert "All works" not in html
