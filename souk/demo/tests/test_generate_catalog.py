"""`generate_catalog`: a small synthetic catalog, visible, searchable in its four languages,
the same for the same seed, with search documents equal to what the search would index."""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import translation

from souk.catalog import selectors
from souk.catalog.models import PRODUCT_LANGUAGES, Product, ProductPhoto
from souk.registry.models import RegisterEntry
from souk.search.backends.sql import build_document
from souk.search.models import DocumentMaterial, KeptCount, SearchDocument
from souk.search.services import index_products
from souk.shops.models import Shop, ShopStatus

pytestmark = pytest.mark.django_db

ARTISANS = 50
PRODUCTS = 300
SEED = 11


def _generate(seed: int = SEED) -> str:
    out = io.StringIO()
    call_command(
        "generate_catalog",
        artisans=ARTISANS,
        products=PRODUCTS,
        seed=seed,
        batch_size=70,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def _snapshot() -> list[tuple[Any, ...]]:
    return list(
        Product.objects.order_by("pk").values_list(
            "shop__register_entry__register_number",
            "trade_id",
            "region_id",
            *(f"title_{code}" for code in PRODUCT_LANGUAGES),
            *(f"description_{code}" for code in PRODUCT_LANGUAGES),
            "price_amount",
            "stock_quantity",
            "is_made_to_order",
            "lead_time_days",
            "hs_code",
            "published_at",
        )
    )


def test_it_creates_approved_shops_and_visible_listings_without_photos():
    # when
    output = _generate()

    # then
    assert "Register entries: 50 created, 0 reused" in output
    assert RegisterEntry.objects.filter(register_number__startswith="SYN-").count() == ARTISANS
    assert Shop.objects.filter(status=ShopStatus.APPROVED).count() == ARTISANS
    assert selectors.list_visible_products().count() == PRODUCTS
    assert ProductPhoto.objects.count() == 0
    assert SearchDocument.objects.count() == PRODUCTS
    for product in Product.objects.select_related("trade", "shop__register_entry__trade"):
        assert product.trade.sells_goods
        assert product.trade.sector_id == product.shop.register_entry.trade.sector_id
        assert product.price_amount > 0
        assert product.is_made_to_order == (product.lead_time_days is not None)


def test_listings_are_written_in_the_four_languages():
    # when
    _generate()

    # then: every language is used, French most, and Arabic titles are in Arabic script
    written = Counter(
        code
        for product in Product.objects.all()
        for code in PRODUCT_LANGUAGES
        if getattr(product, f"title_{code}") and getattr(product, f"description_{code}")
    )
    assert set(written) == set(PRODUCT_LANGUAGES)
    assert written["fr"] > written["es"] > 0
    arabic = Product.objects.exclude(title_ar="").first()
    assert arabic is not None
    assert any("\u0621" <= letter <= "\u064a" for letter in arabic.title_ar)


def test_search_documents_are_those_the_search_would_write():
    # when
    _generate()

    # then: column by column, except the time of indexing
    products = Product.objects.select_related("trade").order_by("pk")
    documents = {document.pk: document for document in SearchDocument.objects.all()}
    columns = [
        field.attname
        for field in SearchDocument._meta.concrete_fields
        if field.attname != "updated_at"
    ]
    for product in products:
        expected = build_document(product)
        actual = documents[product.pk]
        assert [getattr(actual, name) for name in columns] == [
            getattr(expected, name) for name in columns
        ], product.pk


def test_material_rows_and_kept_counts_are_those_the_search_would_write():
    # when
    _generate()
    written = sorted(DocumentMaterial.objects.values_list("product_id", "code"))
    kept = sorted(
        KeptCount.objects.filter(count__gt=0).values_list("scope", "facet", "value", "count")
    )

    # then: indexing every listing again through the search gives the same rows and counts
    index_products(product_ids=list(Product.objects.values_list("pk", flat=True)))
    assert sorted(DocumentMaterial.objects.values_list("product_id", "code")) == written
    assert any(code == "wool" for _product, code in written)
    assert (
        sorted(
            KeptCount.objects.filter(count__gt=0).values_list("scope", "facet", "value", "count")
        )
        == kept
    )


@pytest.mark.parametrize("language", PRODUCT_LANGUAGES)
def test_each_language_finds_its_listings_through_the_search_page(client, language):
    # given: a listing whose title in this language is the only one of its kind
    _generate()
    titles = Counter(Product.objects.values_list(f"title_{language}", flat=True))
    product = (
        Product.objects.exclude(**{f"title_{language}": ""})
        .filter(**{f"title_{language}__in": [t for t, n in titles.items() if n == 1]})
        .order_by("pk")
        .first()
    )
    assert product is not None

    # when
    with translation.override(language):
        url = reverse("search:search")
    response = client.get(url, {"q": getattr(product, f"title_{language}")})

    # then
    assert response.status_code == 200
    with translation.override(language):
        link = reverse("catalog:detail", args=[product.pk, product.slug])
    assert link in response.content.decode()


def test_the_same_seed_gives_the_same_catalog_and_reuses_the_artisans():
    # given
    _generate()
    first = _snapshot()
    Product.objects.all().delete()

    # when
    output = _generate()

    # then
    assert "Register entries: 0 created, 50 reused. Shops: 0 created, 50 reused." in output
    assert _snapshot() == first
    assert SearchDocument.objects.count() == PRODUCTS


def test_another_seed_gives_another_catalog():
    # given
    _generate(seed=1)
    first = _snapshot()
    Product.objects.all().delete()

    # when
    _generate(seed=2)

    # then
    assert _snapshot() != first


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_full_text_index_trigger_is_back_after_the_bulk_writes():
    # when
    _generate()

    # then: the trigger exists, and the index holds exactly the documents' words (FTS5's
    # integrity check with rank 1 compares the index with its content table; it raises if not)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name = 'search_fts_after_insert'"
        )
        assert cursor.fetchone() == (1,)
        cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
