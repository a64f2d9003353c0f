"""The materials vocabulary: ticked on the listing form, named in the page's language, found by
the search filter under its code or any of its names (souk/catalog/materials.py)."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from souk.catalog import materials as vocabulary
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.search import tasks
from souk.shops.tests.factories import make_approved_shop, owner_of

NOMENCLATURE = Path(__file__).parents[2] / "registry" / "data" / "nomenclature.csv"


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def edit_data(product: Product, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "trade": product.trade_id,
        "title_fr": product.title_fr or "Tajine",
        "region": product.region_id,
        "price": "450.00",
        "stock_quantity": str(product.stock_quantity),
        "stock_shown": str(product.stock_quantity),
        "hs_code": product.hs_code,
    }
    data.update(fields)
    return data


def test_every_material_has_four_names_and_applies_to_known_sectors_or_trades():
    with NOMENCLATURE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = {row["sector_code"] for row in rows} | {row["trade_code"] for row in rows}

    for material in vocabulary.all_materials().values():
        assert all(material.names[language].strip() for language in vocabulary.LANGUAGES)
        assert material.applies_to, material.code
        assert material.applies_to <= codes, material.code


def test_free_text_is_cut_into_codes_and_what_the_list_does_not_have():
    assert vocabulary.split_free_text("Laine, coton et henné") == (["wool", "cotton"], "henné")
    assert vocabulary.split_free_text("صوف و قطن") == (["wool", "cotton"], "")
    assert vocabulary.split_free_text("cuero / LATÓN") == (["leather", "brass"], "")
    assert vocabulary.split_free_text("") == ([], "")


@pytest.mark.django_db
def test_the_edit_form_offers_the_trades_materials_and_stores_the_ticked_codes(client):
    # given: a pottery shop's listing
    shop = make_approved_shop()
    product = make_active_product(shop=shop, title_fr="Tajine", materials="")
    client.force_login(owner_of(shop))
    address = url("catalog:edit", shop_id=shop.pk, product_id=product.pk)

    # when
    form = client.get(address).content.decode()
    response = client.post(address, edit_data(product, material_codes=["clay", "glaze"]))

    # then: pottery's materials are offered, leather is not
    assert 'name="material_codes" value="clay"' in form
    assert 'value="leather"' not in form
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).material_codes == ["clay", "glaze"]


@pytest.mark.django_db
def test_a_material_outside_the_list_is_refused_and_nothing_changes(client):
    # given
    shop = make_approved_shop()
    product = make_active_product(shop=shop, title_fr="Tajine", materials="")
    client.force_login(owner_of(shop))

    # when
    response = client.post(
        url("catalog:edit", shop_id=shop.pk, product_id=product.pk),
        edit_data(product, material_codes=["clay", "plutonium"], price="999.00"),
    )

    # then
    assert response.status_code == 400
    saved = Product.objects.get(pk=product.pk)
    assert (saved.material_codes, saved.price_amount) == ([], product.price_amount)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [("ar", "طين، تزجيج"), ("fr", "argile, glaçure"), ("en", "clay, glaze"), ("es", "arcilla")],
)
def test_the_product_page_names_the_materials_in_its_language(client, language, shown):
    # given
    product = make_active_product(title_fr="Tajine", materials="")
    Product.objects.filter(pk=product.pk).update(material_codes=["clay", "glaze"])

    # when
    response = client.get(url("catalog:detail", language, product_id=product.pk, slug=product.slug))

    # then
    content = response.content.decode()
    for name in vocabulary.names(["clay", "glaze"], language):
        assert name in content
    assert shown.split("،")[0].split(",")[0] in content


@pytest.mark.django_db
@pytest.mark.parametrize("asked", ["wool", "laine", "صوف", "lana", "Wool"])
def test_the_material_filter_takes_the_code_or_a_name_in_any_language(client, asked):
    # given: a rug of wool (ticked) and one of cotton
    wool = make_active_product(title_fr="Tapis", materials="")
    cotton = make_active_product(shop=wool.shop, title_fr="Tapis", materials="")
    Product.objects.filter(pk=wool.pk).update(material_codes=["wool"])
    Product.objects.filter(pk=cotton.pk).update(material_codes=["cotton"])
    tasks.index_products.call([wool.pk, cotton.pk])

    # when
    response = client.get(url("search:search"), {"material": asked})

    # then
    assert [card.pk for card in response.context["page"].products] == [wool.pk]


@pytest.mark.django_db
def test_the_material_filter_finds_a_code_that_is_not_a_word(client):
    # given
    product = make_active_product(title_fr="Boîte", materials="")
    Product.objects.filter(pk=product.pk).update(material_codes=["olivewood"])
    tasks.index_products.call([product.pk])

    # when / then
    for asked in ("olivewood", "bois d'olivier", "خشب الزيتون"):
        response = client.get(url("search:search"), {"material": asked})
        assert [card.pk for card in response.context["page"].products] == [product.pk], asked


@pytest.mark.django_db
def test_the_data_migration_moves_known_materials_to_codes_and_keeps_the_rest():
    # given: listings described before the vocabulary
    known = make_active_product(title_fr="Tapis", materials="Laine, coton et henné")
    unknown = make_active_product(shop=known.shop, title_fr="Tapis", materials="poil de chameau")
    migration = importlib.import_module("souk.catalog.migrations.0005_move_materials_to_codes")

    # when
    migration.forwards(apps, None)

    # then
    moved, kept = Product.objects.get(pk=known.pk), Product.objects.get(pk=unknown.pk)
    assert (moved.material_codes, moved.materials) == (["wool", "cotton"], "henné")
    assert (kept.material_codes, kept.materials) == ([], "poil de chameau")

    # and back
    migration.backwards(apps, None)
    assert Product.objects.get(pk=known.pk).materials == "laine, coton, henné"
