"""The sitemap index, its sections in four languages, and robots.txt."""

from __future__ import annotations

import re

import pytest

from souk.catalog import services as catalog
from souk.catalog.tests.factories import make_active_product
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap_index(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml\n" in response.content.decode()


def test_sitemap_index_lists_every_section(client):
    response = client.get("/sitemap.xml")

    xml = response.content.decode()
    assert response.status_code == 200
    for section in ("home", "crafts", "trades", "regions", "shops", "products"):
        assert f"<loc>http://testserver/sitemap-{section}.xml</loc>" in xml


def test_sitemap_lists_a_visible_product_in_four_languages_and_not_a_paused_one(client):
    # given
    visible = make_active_product(title_fr="Tajine de Safi")
    paused = make_active_product(shop=visible.shop, title_fr="Tajine en pause")
    catalog.pause_product(product=paused, actor=owner_of(paused.shop))

    # when
    xml = client.get("/sitemap-products.xml").content.decode()

    # then
    for code in ("ar", "fr", "en", "es"):
        url = f"http://testserver/{code}/products/{visible.pk}-tajine-de-safi/"
        assert f"<loc>{url}</loc>" in xml
        assert f'<xhtml:link rel="alternate" hreflang="{code}" href="{url}"/>' in xml
    assert xml.count("<loc>") == 4
    assert (
        '<xhtml:link rel="alternate" hreflang="x-default" '
        f'href="http://testserver/fr/products/{visible.pk}-tajine-de-safi/"/>'
    ) in xml
    assert f"/products/{paused.pk}-" not in xml


def test_sitemap_sections_of_the_browse_pages(client):
    crafts = client.get("/sitemap-crafts.xml").content.decode()
    regions = client.get("/sitemap-regions.xml").content.decode()

    assert len(re.findall(r"<loc>http://testserver/\w\w/crafts/S\d\d/</loc>", crafts)) == 13 * 4
    assert "<loc>http://testserver/ar/regions/07/</loc>" in regions


def test_sitemap_pages_hold_at_most_the_limit(client, settings, monkeypatch):
    # given: three products, at most 4 addresses (one product in four languages) a page
    shop = make_active_product().shop
    make_active_product(shop=shop)
    make_active_product(shop=shop)
    monkeypatch.setattr("souk.web.sitemaps.ProductSitemap.limit", 4)

    # when
    index = client.get("/sitemap.xml").content.decode()
    pages = [client.get("/sitemap-products.xml", {"p": n}).content.decode() for n in (1, 2, 3)]

    # then
    assert "http://testserver/sitemap-products.xml?p=3" in index
    assert [page.count("<loc>") for page in pages] == [4, 4, 4]
    assert len({tuple(re.findall(r"/products/(\d+)-", page)[:1]) for page in pages}) == 3
