"""The demo listings: on sale at once with their renditions, and a second run changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from souk.catalog.models import Product, ProductPhoto, ProductStatus
from souk.demo import catalog as demo
from souk.shops.models import Shop, ShopStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_lists_pieces_in_every_goods_sector_and_a_second_run_changes_nothing():
    # given
    call_command("seed_demo", stdout=io.StringIO())
    products = list(Product.objects.order_by("pk").values())
    photos = list(ProductPhoto.objects.order_by("pk").values())

    # when
    lines = demo.seed()

    # then
    assert list(Product.objects.order_by("pk").values()) == products
    assert list(ProductPhoto.objects.order_by("pk").values()) == photos
    # Eight pieces per shop, but for the few that stop earlier on the support path.
    owners: list[str | None] = list(
        Shop.objects.filter(status=ShopStatus.APPROVED).values_list(
            "register_entry__claimed_by__email", flat=True
        )
    )
    listed = [demo.LISTINGS_OF.get(email or "", demo.LISTINGS_PER_SHOP) for email in owners]
    assert len(products) == sum(listed)
    waiting = sum(demo.LISTINGS_OF[email] for email in demo.NOT_APPROVED)
    # The demo artisan's draft and listing waiting for review, and those never approved.
    assert (
        Product.objects.filter(status=ProductStatus.ACTIVE).count() == len(products) - 2 - waiting
    )
    sectors = set(Product.objects.values_list("trade__sector", flat=True).distinct())
    assert sectors == set(demo.PIECES)
    assert not ProductPhoto.objects.filter(is_ready=False).exists()
    assert {len(photo["renditions"]) for photo in photos} == {2}  # 800 px: 320 and 640
    assert "(0 created now)" in lines[1]
