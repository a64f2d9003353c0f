"""The product page's reads compiled once per process (souk.core.prepared) give what their
querysets give: the same rows, the same values, the joined rows loaded with them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from souk.catalog import selectors, services
from souk.catalog.models import Product, ProductVariant
from souk.catalog.tests.factories import make_active_product, make_draft_product, make_variant
from souk.core.prepared import PreparedQuery
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db


def values(instance: Model) -> dict[str, object]:
    return {
        field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields
    }


def test_the_page_reads_its_listing_with_shop_trade_and_regions_as_the_queryset_does() -> None:
    # given
    product = make_active_product()
    expected = (
        selectors.list_visible_products()
        .select_related("shop__region", "trade__sector")
        .get(pk=product.pk)
    )
    # when
    found = selectors.get_product_for_page(product_id=product.pk)
    # then: the same values, and the joined rows read in the same statement
    assert values(found) == values(expected)
    with CaptureQueriesContext(connection) as queries:
        joined = (found.shop, found.shop.region, found.trade, found.trade.sector, found.region)
    assert len(queries) == 0
    assert [values(row) for row in joined] == [
        values(row)
        for row in (
            expected.shop,
            expected.shop.region,
            expected.trade,
            expected.trade.sector,
            expected.region,
        )
    ]


def test_a_listing_not_on_sale_is_not_read_for_the_page() -> None:
    draft = make_draft_product()
    with pytest.raises(Product.DoesNotExist):
        selectors.get_product_for_page(product_id=draft.pk)


def test_the_variants_on_sale_come_in_the_artisans_order_with_their_product() -> None:
    # given: three variants, the first taken off sale
    product = make_active_product()
    first, second, third = (make_variant(product, sku=f"SKU-{n}") for n in range(3))
    services.deactivate_variant(product=product, actor=owner_of(product.shop), variant_id=first.pk)
    # when
    variants = selectors.list_active_variants(product)
    # then
    expected = list(product.variants.filter(is_active=True).order_by("position", "id"))
    assert [values(variant) for variant in variants] == [values(v) for v in expected]
    assert [variant.pk for variant in variants] == [second.pk, third.pk]
    with CaptureQueriesContext(connection) as queries:
        assert all(variant.product is product for variant in variants)
    assert len(queries) == 0


def test_the_other_works_are_the_shops_newest_others() -> None:
    # given: a shop with six listings on sale
    product = make_active_product()
    others = [make_active_product(shop=product.shop) for _ in range(5)]
    # when
    _photos, found = selectors.list_page_photos_and_other_works(product)
    # then: four, newest first, not the listing itself, as list_other_works reads them
    assert [work.pk for work in found] == [work.pk for work in selectors.list_other_works(product)]
    assert len(found) == selectors.OTHER_WORKS_COUNT
    assert product.pk not in {work.pk for work in found}
    assert {work.pk for work in found} <= {work.pk for work in others}


def test_a_prepared_query_refuses_a_value_it_cannot_find_once() -> None:
    twice = PreparedQuery[ProductVariant](
        lambda value: ProductVariant.objects.filter(product_id=value, position=value)
    )
    with pytest.raises(ValueError, match="once"):
        twice.list(1)
