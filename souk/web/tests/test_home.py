"""The home page: the newest works on sale and the crafts to browse."""

from __future__ import annotations

import pytest
from django.utils import translation

from souk.catalog.tests.factories import make_active_product, make_draft_product

pytestmark = pytest.mark.django_db


def test_home_shows_the_newest_works_on_sale_and_not_drafts(client):
    on_sale = make_active_product(title_fr="Tajine de Safi")
    make_draft_product(shop=on_sale.shop, title_fr="Brouillon secret")

    html = client.get("/fr/").content.decode()

    assert '<h3 class="product-card__title">Tajine de Safi</h3>' in html
    assert "Brouillon secret" not in html


def test_home_links_every_craft_that_sells_goods_to_its_search(client):
    html = client.get("/ar/").content.decode()

    with translation.override("ar"):
        heading = translation.gettext("Browse by craft")
    assert heading != "Browse by craft"
    assert f'<h2 id="crafts-title">{heading}</h2>' in html
    assert '<a href="/ar/search/?sector=S01">الفخار والخزف والزليج</a>' in html
    # Nine production sectors sell goods; the four service sectors do not.
    assert html.count('href="/ar/search/?sector=S') == 9
    assert "?sector=S10" not in html


def test_home_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        make_active_product()

    with django_assert_max_num_queries(8):
        client.get("/en/")
