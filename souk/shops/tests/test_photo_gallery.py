"""Shop photos share the gallery of souk.core: WebP renditions, and drag-to-reorder with its
non-JavaScript buttons, through the shop's photos pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from souk.shops import services
from souk.shops.models import ShopPhoto
from souk.shops.tests.factories import (
    jpeg_bytes,
    make_approved_shop,
    make_claimed_shop,
    owner_of,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as soon as they are enqueued, i.e. once the photo's transaction commits."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def photos_address(shop) -> str:
    return f"/en/shops/manage/{shop.pk}/photos/"


def add(shop, width: int = 80, height: int = 60) -> ShopPhoto:
    return services.add_shop_photo(
        shop=shop, actor=owner_of(shop), upload=upload("p.jpg", jpeg_bytes(width, height))
    )


def order_of(shop) -> list[int]:
    return list(ShopPhoto.objects.filter(shop=shop).values_list("pk", flat=True))


def test_a_photo_added_on_the_photos_page_gets_its_webp_renditions(
    client, immediate_tasks, django_capture_on_commit_callbacks
):
    # given
    shop = make_approved_shop()
    client.force_login(owner_of(shop))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            photos_address(shop),
            {"image": upload("kiln.jpg", jpeg_bytes(1600, 1200)), "alt_text": "The kiln"},
        )

    # then: three WebP copies next to the photo, shown in a srcset on the shop's page
    assert response.status_code == 302
    photo = ShopPhoto.objects.get(shop=shop)
    assert photo.is_ready is True
    assert [(width, height) for width, height, _name in photo.renditions] == [
        (320, 240),
        (640, 480),
        (1280, 960),
    ]
    for width, height, name in photo.renditions:
        assert name.startswith(f"shops/{shop.pk}/")
        with Image.open(Path(settings.MEDIA_ROOT) / name) as rendition:
            assert (rendition.format, rendition.size) == ("WEBP", (width, height))
    html = client.get(f"/en/shops/{shop.slug}/").content.decode()
    assert f"/media/{photo.renditions[0][2]} 320w" in html
    assert 'alt="The kiln"' in html


def test_removing_a_photo_deletes_its_renditions_too(
    client, immediate_tasks, django_capture_on_commit_callbacks
):
    # given
    shop = make_claimed_shop()
    with django_capture_on_commit_callbacks(execute=True):
        photo = add(shop, 800, 600)
    photo.refresh_from_db()
    files = [photo.image.name, *(name for _w, _h, name in photo.renditions)]
    assert len(files) == 3  # the photo, 320 and 640 px
    client.force_login(owner_of(shop))

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{photos_address(shop)}{photo.pk}/remove/")

    # then
    assert response.status_code == 302
    assert not ShopPhoto.objects.filter(shop=shop).exists()
    assert [name for name in files if (Path(settings.MEDIA_ROOT) / name).exists()] == []


def test_a_photo_without_renditions_yet_is_shown_as_stored(client):
    # given: a photo whose renditions are not made (its task has not run)
    shop = make_approved_shop()
    photo = add(shop)
    assert photo.is_ready is False

    # when
    html = client.get(f"/en/shops/{shop.slug}/").content.decode()

    # then
    assert f'<img src="{photo.image.url}" width="80" height="60"' in html
    assert "photo-placeholder" not in html


def test_the_photos_are_dragged_into_a_new_order(client):
    # given
    shop = make_claimed_shop()
    first, second, third = (add(shop).pk for _ in range(3))
    client.force_login(owner_of(shop))

    # when: what photo_order.js posts once the third photo is dropped first
    response = client.post(f"{photos_address(shop)}order/", {"order": [third, first, second]})

    # then
    assert response.status_code == 204
    assert order_of(shop) == [third, first, second]
    assert list(ShopPhoto.objects.filter(shop=shop).values_list("position", flat=True)) == [0, 1, 2]


@pytest.mark.parametrize(
    "order",
    [["missing"], ["first"], ["first", "first"], ["first", "second", "999999"], ["x", "first"]],
)
def test_an_order_that_does_not_list_each_photo_once_changes_nothing(client, order):
    # given
    shop = make_claimed_shop()
    first, second = add(shop).pk, add(shop).pk
    client.force_login(owner_of(shop))
    ids = {"first": str(first), "second": str(second), "missing": ""}
    posted = [ids.get(value, value) for value in order if ids.get(value, value)]

    # when
    response = client.post(f"{photos_address(shop)}order/", {"order": posted})

    # then
    assert response.status_code == 400
    assert order_of(shop) == [first, second]


def test_only_a_manager_reorders_the_photos(client):
    # given
    shop = make_claimed_shop()
    first, second = add(shop).pk, add(shop).pk
    client.force_login(owner_of(make_claimed_shop()))

    # when
    response = client.post(f"{photos_address(shop)}order/", {"order": [second, first]})

    # then
    assert response.status_code == 404
    assert order_of(shop) == [first, second]


def test_the_photos_page_offers_dragging_and_keeps_the_buttons_without_javascript(client):
    # given
    shop = make_claimed_shop()
    first, second = add(shop).pk, add(shop).pk
    client.force_login(owner_of(shop))

    # when
    html = client.get(photos_address(shop)).content.decode()

    # then
    assert '<script src="/static/vendor/sortablejs/Sortable.min' in html
    assert '<script src="/static/gallery/photo_order' in html
    assert f'data-photo-order="/en/shops/manage/{shop.pk}/photos/order/"' in html
    assert f'data-photo-id="{first}"' in html
    assert f'action="/en/shops/manage/{shop.pk}/photos/{second}/move/"' in html


def test_one_photo_is_not_offered_for_dragging(client):
    shop = make_claimed_shop()
    add(shop)
    client.force_login(owner_of(shop))

    html = client.get(photos_address(shop)).content.decode()

    assert "photo_order" not in html
    assert "data-photo-order=" not in html
