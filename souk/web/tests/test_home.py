"""The home page: the crafts to browse, featured artisans, the newest works on sale."""

from __future__ import annotations

import pytest
from django.utils import translation

from souk.catalog.tests.factories import make_active_product, make_draft_product
from souk.shops.models import Shop
from souk.shops.tests.factories import make_approved_shop

pytestmark = pytest.mark.django_db


def test_home_shows_the_newest_works_on_sale_and_not_drafts(client):
    on_sale = make_active_product(title_fr="Tajine de Safi")
    make_draft_product(shop=on_sale.shop, title_fr="Brouillon secret")

    html = client.get("/fr/").content.decode()

    assert '<h3 class="product-card__title">Tajine de Safi</h3>' in html
    assert "Brouillon secret" not in html


def test_home_links_all_thirteen_crafts_to_their_pages_in_the_page_language(client):
    html = client.get("/ar/").content.decode()

    with translation.override("ar"):
        heading = translation.gettext("Browse by craft")
    assert heading != "Browse by craft"
    assert f'<h2 id="crafts-title">{heading}</h2>' in html
    assert '<a href="/ar/crafts/S01/">الفخار والخزف والزليج</a>' in html
    assert html.count('<li><a href="/ar/crafts/S') == 13


def test_home_features_trusted_shops_first_and_only_shops_with_works_on_sale(client):
    # given
    plain = make_active_product().shop
    trusted = make_active_product().shop
    Shop.objects.filter(pk=trusted.pk).update(is_trusted=True)
    without_works = make_approved_shop()

    # when
    html = client.get("/fr/").content.decode()

    # then
    featured = html[html.index('id="featured-title"') :]
    assert featured.index(f"/fr/shops/{trusted.slug}/") < featured.index(f"/fr/shops/{plain.slug}/")
    assert f"/fr/shops/{without_works.slug}/" not in featured


def test_home_has_its_opengraph_tags(client):
    html = client.get("/es/").content.decode()

    assert '<meta property="og:url" content="http://testserver/es/">' in html
    assert '<meta property="og:locale" content="es_ES">' in html
    assert '<meta property="og:locale:alternate" content="ar_AR">' in html


@pytest.mark.parametrize("count", [1, 20])
def test_home_runs_a_bounded_number_of_queries(client, count, django_assert_max_num_queries):
    shop = make_approved_shop()
    for _ in range(count):
        make_active_product(shop=shop)

    with django_assert_max_num_queries(6):
        client.get("/en/")
