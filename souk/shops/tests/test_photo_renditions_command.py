"""make_photo_renditions: the renditions of shop photos stored before shops shared the gallery."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from souk.shops import services
from souk.shops.tests.factories import jpeg_bytes, make_claimed_shop, owner_of, upload

pytestmark = pytest.mark.django_db


def add(shop, width: int, height: int):
    return services.add_shop_photo(
        shop=shop, actor=owner_of(shop), upload=upload("p.jpg", jpeg_bytes(width, height))
    )


def test_the_command_makes_the_renditions_of_photos_stored_before_the_gallery():
    # given: a photo stored without renditions, as shop photos were before they had them
    shop = make_claimed_shop()
    waiting, small = add(shop, 1600, 1200), add(shop, 200, 100)
    out = io.StringIO()

    # when
    call_command("make_photo_renditions", "shops.ShopPhoto", stdout=out)

    # then
    waiting.refresh_from_db()
    small.refresh_from_db()
    assert [width for width, _h, _n in waiting.renditions] == [320, 640, 1280]
    assert [width for width, _h, _n in small.renditions] == [320]
    assert (waiting.is_ready, small.is_ready) == (True, True)
    assert out.getvalue() == "shops.ShopPhoto: renditions made for 2 photo(s).\n"


def test_the_command_refuses_a_model_that_is_not_a_gallery_photo():
    with pytest.raises(CommandError, match=r"shops\.Shop is not a gallery photo"):
        call_command("make_photo_renditions", "shops.Shop", stdout=io.StringIO())
