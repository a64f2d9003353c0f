"""The listing coach: each check from the listing's own data, shown to artisan and advisor."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from souk.catalog import photo_services
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product, make_draft_product
from souk.shops.tests.factories import jpeg_bytes, make_approved_shop, owner_of, upload
from souk.support import coach
from souk.support.tests.factories import make_advisor

pytestmark = pytest.mark.django_db

GOOD: dict[str, Any] = {
    "title_fr": "Tajine de Safi émaillé vert, 30 cm",
    "description_en": "A hand-thrown, glazed tagine.",
}


@pytest.fixture(autouse=True)
def _fresh_price_ranges():
    cache.clear()


def codes(product: Product) -> set[str]:
    return {advice.code for advice in coach.advise(Product.objects.get(pk=product.pk))}


def add_photos(product: Product, count: int, *, width: int = 1200, height: int = 900) -> None:
    for n in range(count):
        photo_services.add_product_photo(
            product=product,
            actor=owner_of(product.shop),
            upload=upload(f"{n}.jpg", jpeg_bytes(width, height)),
        )


def test_a_complete_listing_gets_no_advice():
    product = make_draft_product(photo=False, **GOOD)
    add_photos(product, 3)
    assert codes(product) == set()


def test_a_bare_listing_gets_each_piece_of_advice():
    # one photo, a 14-character title, French only, no weight
    product = make_draft_product(weight_grams=None)
    assert codes(product) == {
        "few_photos",
        "short_title",
        "no_description_abroad",
        "no_weight_or_size",
    }


def test_a_photo_under_800_pixels_is_flagged():
    product = make_draft_product(photo=False, **GOOD)
    add_photos(product, 2)
    add_photos(product, 1, width=640, height=480)
    assert codes(product) == {"small_photo"}


def test_a_missing_size_is_flagged():
    product = make_draft_product(photo=False, height_mm=None, **GOOD)
    add_photos(product, 3)
    assert codes(product) == {"no_weight_or_size"}


def test_a_price_far_from_the_trade_usual_range_is_flagged():
    # given eight tagines on sale at 400 to 470 MAD in one shop
    shop = make_approved_shop()
    for n in range(8):
        make_active_product(shop=shop, price_amount=40_000 + 1_000 * n)
    cheap = make_draft_product(shop=shop, photo=False, price_amount=4_500, **GOOD)
    fair = make_draft_product(shop=shop, photo=False, price_amount=42_000, **GOOD)
    dear = make_draft_product(shop=shop, photo=False, price_amount=200_000, **GOOD)
    for product in (cheap, fair, dear):
        add_photos(product, 3)
    assert codes(cheap) == {"unusual_price"}
    assert codes(fair) == set()
    assert codes(dear) == {"unusual_price"}


def test_the_artisan_sees_the_advice_on_the_listing_page(client):
    product = make_draft_product(weight_grams=None)
    client.force_login(owner_of(product.shop))
    body = client.get(f"/en/products/manage/{product.shop_id}/{product.pk}/").content.decode()
    assert "To sell this piece better" in body
    assert "Give the weight and size" in body


def test_the_advisor_sees_the_listings_to_improve(client):
    advisor = make_advisor()
    shop = make_approved_shop()
    make_draft_product(shop=shop, weight_grams=None)
    client.force_login(advisor.user)
    body = client.get(f"/en/support/portfolio/{owner_of(shop).pk}/").content.decode()
    assert "Tajine de Safi" in body
    assert "Give the weight and size" in body
