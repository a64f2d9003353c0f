"""Drag-to-reorder of a listing's photos: the endpoint photo_order.js posts to, and the page."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from souk.catalog import photo_services
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_draft_product
from souk.shops.tests.factories import jpeg_bytes, make_approved_shop, owner_of, upload

pytestmark = pytest.mark.django_db


def with_photos(count: int) -> tuple[Product, list[int]]:
    product = make_draft_product()
    for _ in range(count - 1):
        photo_services.add_product_photo(
            product=product, actor=owner_of(product.shop), upload=upload("b.jpg", jpeg_bytes())
        )
    return product, photo_order(product)


def photo_order(product: Product) -> list[int]:
    return list(product.photos.order_by("position").values_list("pk", flat=True))


def order_url(product: Product) -> str:
    with translation.override("fr"):
        return reverse(
            "catalog:reorder_photos", kwargs={"shop_id": product.shop_id, "product_id": product.pk}
        )


def test_the_dragged_order_is_saved_cover_first(client):
    # given
    product, (first, second, third) = with_photos(3)
    client.force_login(owner_of(product.shop))

    # when
    response = client.post(order_url(product), {"order": [third, first, second]})

    # then
    assert response.status_code == 204
    assert photo_order(product) == [third, first, second]
    assert list(product.photos.order_by("position").values_list("position", flat=True)) == [
        0,
        1,
        2,
    ]


@pytest.mark.parametrize(
    "order",
    [
        pytest.param(lambda ids, foreign: [ids[1], ids[0], foreign], id="foreign-photo"),
        pytest.param(lambda ids, foreign: [ids[1], ids[0]], id="missing-photo"),
        pytest.param(lambda ids, foreign: [ids[1], ids[0], ids[0], ids[2]], id="repeated-photo"),
        pytest.param(lambda ids, foreign: [ids[1], ids[0], "x"], id="not-a-number"),
    ],
)
def test_an_order_that_is_not_exactly_the_listings_photos_is_refused(client, order):
    # given
    product, ids = with_photos(3)
    foreign = make_draft_product().photos.get().pk
    client.force_login(owner_of(product.shop))

    # when
    response = client.post(order_url(product), {"order": order(ids, foreign)})

    # then
    assert response.status_code == 400
    assert photo_order(product) == ids


def test_another_shops_manager_gets_a_404_and_nothing_moves(client):
    # given
    product, (first, second) = with_photos(2)
    client.force_login(owner_of(make_approved_shop()))

    # when
    response = client.post(order_url(product), {"order": [second, first]})

    # then
    assert response.status_code == 404
    assert photo_order(product) == [first, second]


def test_the_photos_page_loads_sortablejs_and_the_order_script(client):
    # given
    product, ids = with_photos(2)
    client.force_login(owner_of(product.shop))

    # when
    with translation.override("fr"):
        address = reverse(
            "catalog:photos", kwargs={"shop_id": product.shop_id, "product_id": product.pk}
        )
    html = client.get(address).content.decode()

    # then
    assert '<script src="/static/vendor/sortablejs/Sortable.min' in html
    assert '<script src="/static/gallery/photo_order' in html
    assert f'data-photo-order="{order_url(product)}"' in html
    assert f'data-photo-id="{ids[0]}"' in html
    assert "<script>" not in html


def test_sortablejs_and_the_order_script_are_served_from_our_static_files():
    sortable = finders.find("vendor/sortablejs/Sortable.min.js")
    script = finders.find("gallery/photo_order.js")

    assert sortable is not None
    assert script is not None
    with open(sortable, encoding="utf-8") as handle:
        assert handle.readline().startswith("/*! Sortable 1.15.7 - MIT")
    assert finders.find("vendor/sortablejs/LICENSE") is not None
    with open(script, encoding="utf-8") as handle:
        source = handle.read()
    assert "Sortable.create" in source
    assert "csrfmiddlewaretoken" in source
