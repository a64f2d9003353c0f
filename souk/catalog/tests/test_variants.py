"""Variants of a listing: the artisan's page and services, and the public product page."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.urls import reverse
from django.utils import translation

from souk.accounts.models import User
from souk.accounts.tests.factories import make_user
from souk.catalog import services
from souk.catalog.errors import DuplicateSku, InvalidVariantDetails, NotProductManager
from souk.catalog.models import Product, ProductStatus, ProductVariant
from souk.catalog.tests.factories import make_active_product, make_variant
from souk.core.models import AuditEntry
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: int | str) -> str:
    with translation.override("en"):
        return reverse(f"catalog:{name}", kwargs=kwargs)


def variant_form(**fields: str) -> dict[str, str]:
    data = {
        "label_en": "Small / green",
        "label_fr": "",
        "label_ar": "",
        "label_es": "",
        "sku": "TAJ-S-GREEN",
        "price": "380.00",
        "stock_quantity": "4",
        "weight_grams": "",
        "length_cm": "",
        "width_cm": "",
        "height_cm": "",
    }
    data.update(fields)
    return data


def test_the_manager_adds_edits_and_takes_off_sale_a_variant_without_a_new_review(
    client,
) -> None:
    # given
    product = make_active_product()
    client.force_login(owner_of(product.shop))
    page = url("variants", shop_id=product.shop_id, product_id=product.pk)

    # when: added
    response = client.post(page, variant_form())

    # then
    assert response.status_code == 302
    variant = ProductVariant.objects.get(product=product)
    assert (variant.label_en, variant.sku, variant.price_amount, variant.stock_quantity) == (
        "Small / green",
        "TAJ-S-GREEN",
        38_000,
        4,
    )
    assert "Small / green" in client.get(page).content.decode()

    # when: edited
    edit = url(
        "edit_variant", shop_id=product.shop_id, product_id=product.pk, variant_id=variant.pk
    )
    response = client.post(edit, variant_form(price="410.00", stock_quantity="1", stock_shown="4"))

    # then: the listing stays on sale, since prices and stock are not reviewed
    assert response.status_code == 302
    variant.refresh_from_db()
    assert (variant.price_amount, variant.stock_quantity) == (41_000, 1)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.ACTIVE

    # when: taken off sale
    client.post(
        url(
            "deactivate_variant",
            shop_id=product.shop_id,
            product_id=product.pk,
            variant_id=variant.pk,
        )
    )

    # then: the variants page offers to put it back
    variant.refresh_from_db()
    assert variant.is_active is False
    reactivate = url(
        "reactivate_variant", shop_id=product.shop_id, product_id=product.pk, variant_id=variant.pk
    )
    assert f'action="{reactivate}"' in client.get(page).content.decode()

    # when: put back on sale
    response = client.post(reactivate)

    # then: on sale with its price and stock as they were
    assert response.status_code == 302
    variant.refresh_from_db()
    assert (variant.is_active, variant.price_amount, variant.stock_quantity) == (True, 41_000, 1)
    assert list(
        AuditEntry.objects.filter(action__startswith="product.variant_")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "product.variant_added",
        "product.variant_updated",
        "product.variant_deactivated",
        "product.variant_reactivated",
    ]


def test_another_shops_manager_gets_404_on_every_variant_page(client) -> None:
    # given
    product = make_active_product()
    variant = make_variant(product)
    client.force_login(owner_of(make_approved_shop()))
    ids = {"shop_id": product.shop_id, "product_id": product.pk}

    # when
    responses = [
        client.get(url("variants", **ids)),
        client.post(url("variants", **ids), variant_form()),
        client.post(url("edit_variant", variant_id=variant.pk, **ids), variant_form()),
        client.post(url("deactivate_variant", variant_id=variant.pk, **ids)),
        client.post(url("reactivate_variant", variant_id=variant.pk, **ids)),
    ]

    # then: nothing written
    assert [response.status_code for response in responses] == [404, 404, 404, 404, 404]
    assert list(ProductVariant.objects.values_list("pk", "is_active", "price_amount")) == [
        (variant.pk, True, 52_000)
    ]


def test_a_variant_form_without_a_label_is_refused(client) -> None:
    product = make_active_product()
    client.force_login(owner_of(product.shop))

    response = client.post(
        url("variants", shop_id=product.shop_id, product_id=product.pk),
        variant_form(label_en=""),
    )

    assert response.status_code == 400
    assert "Name the variant in at least one language." in response.content.decode()
    assert not ProductVariant.objects.exists()


def test_the_service_refuses_a_duplicate_sku_a_zero_price_and_a_missing_label() -> None:
    # given
    product = make_active_product()
    make_variant(product, sku="TAJ-L")
    owner = owner_of(product.shop)
    base = services.VariantDetails(
        label_ar="",
        label_fr="",
        label_en="Small",
        label_es="",
        sku="TAJ-S",
        price_amount=30_000,
        stock_quantity=1,
    )

    # when / then
    for refused, error in [
        (replace(base, sku=" TAJ-L "), DuplicateSku),
        (replace(base, price_amount=0), InvalidVariantDetails),
        (replace(base, label_en=" "), InvalidVariantDetails),
        (replace(base, stock_quantity=-1), InvalidVariantDetails),
    ]:
        with pytest.raises(error):
            services.add_variant(product=product, actor=owner, details=refused)

    # then: nothing added
    assert list(product.variants.values_list("sku", flat=True)) == ["TAJ-L"]


def test_the_product_page_shows_the_lowest_price_and_each_variant(client) -> None:
    # given
    product = make_active_product(price_amount=45_000)
    make_variant(product, label_en="Large / blue", price_amount=52_000, stock_quantity=2)
    make_variant(product, label_en="Small / green", price_amount=38_000, stock_quantity=0)
    hidden = make_variant(product, label_en="Retired", price_amount=10_000)
    services.deactivate_variant(product=product, actor=owner_of(product.shop), variant_id=hidden.pk)

    # when
    page = client.get(url("detail", product_id=product.pk, slug=product.slug)).content.decode()

    # then
    assert "from MAD380.00" in page
    assert "<bdi>Large / blue</bdi> — MAD520.00 —" in page
    assert "2 pieces in stock" in page
    assert "<bdi>Small / green</bdi> — MAD380.00 —" in page
    assert "Retired" not in page
    assert page.count('name="variant"') == 2


def test_a_product_without_variants_keeps_its_page(client) -> None:
    product = make_active_product(price_amount=45_000)

    page = client.get(url("detail", product_id=product.pk, slug=product.slug)).content.decode()

    assert "MAD450.00" in page
    assert "from MAD" not in page
    assert 'name="variant"' not in page


def test_someone_who_does_not_manage_the_shop_cannot_add_a_variant() -> None:
    product = make_active_product()

    with pytest.raises(NotProductManager):
        make_variant_as(product, make_user(email="stranger@souk.example"))

    assert not ProductVariant.objects.exists()


def make_variant_as(product: Product, actor: User) -> None:
    services.add_variant(
        product=product,
        actor=actor,
        details=services.VariantDetails(
            label_ar="",
            label_fr="",
            label_en="X",
            label_es="",
            sku="X",
            price_amount=1,
            stock_quantity=0,
        ),
    )
