"""The cost of a product page rendered for the first time (nothing of it kept): its SQL
statements, each for a reason (docs/benchmarks.md, "A never-seen product page")."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product, make_variant
from souk.core.addresses import COUNTRY_CODES

pytestmark = pytest.mark.django_db

# The listing's state with the search index version (the kept page's fingerprint, whose version
# the view reuses), the listing with its shop, trade and region, its variants, the shop's other
# works, the photos of the listing and of those works (one statement), the shop's free-shipping
# threshold.
FIRST_RENDER_STATEMENTS = 6


def product_page(product: Product, language: str = "fr") -> str:
    with translation.override(language):
        return reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})


def test_a_first_product_page_makes_six_statements_and_reads_its_listing_once(
    client: Client,
) -> None:
    # given: a shop with three listings, one with variants; another listing's page seen, so
    # what every page shares (rate card, reach rules, URL resolver) is warm
    product = make_active_product()
    make_variant(product)
    make_active_product(shop=product.shop)
    seen = make_active_product(shop=product.shop)
    assert client.get(product_page(seen)).status_code == 200
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(product_page(product))
    # then
    assert response.status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    assert len(statements) == FIRST_RENDER_STATEMENTS, "\n".join(statements)
    listing_reads = [
        sql for sql in statements if re.search(r'FROM "catalog_product" INNER JOIN', sql)
    ]
    assert len(listing_reads) == 2  # the listing, then its shop's other works
    assert not [sql for sql in statements if "shipping_carrier" in sql]
    assert len([sql for sql in statements if "search_indexversion" in sql]) == 1
    assert len([sql for sql in statements if 'FROM "catalog_productphoto"' in sql]) == 1


def test_the_delivery_menu_lists_every_country_once_the_visitors_selected(
    client: Client,
) -> None:
    # given
    product = make_active_product()
    # when: a browser saying Morocco, then one saying Spain, on the same page
    moroccan = client.get(product_page(product, "en"), HTTP_ACCEPT_LANGUAGE="en-MA")
    spanish = client.get(product_page(product, "en"), HTTP_ACCEPT_LANGUAGE="es-ES")
    # then
    for response, country, name in ((moroccan, "MA", "Morocco"), (spanish, "ES", "Spain")):
        menu = re.search(r'<select id="delivery-country".*?</select>', response.content.decode())
        assert menu is not None
        options = re.findall(r'<option value="([A-Z]{2})"( selected)?>', menu.group(0))
        assert sorted(code for code, _ in options) == sorted(COUNTRY_CODES)
        assert [code for code, selected in options if selected] == [country]
        assert f'<option value="{country}" selected>{name}</option>' in menu.group(0)
