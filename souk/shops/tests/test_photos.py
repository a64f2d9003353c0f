"""Shop photos: checked from their bytes, re-encoded to WebP without metadata, at most 8."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import ExifTags, Image

from souk.core.models import AuditEntry
from souk.shops import services
from souk.shops.errors import FileTooLarge, ImageTooLarge, TooManyPhotos, UnreadableImage
from souk.shops.models import ShopPhoto
from souk.shops.tests.factories import (
    jpeg_bytes,
    make_claimed_shop,
    owner_of,
    png_declaring,
    upload,
)

pytestmark = pytest.mark.django_db


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def add(shop, content: bytes, name: str = "photo.jpg", alt_text: str = ""):
    return services.add_shop_photo(
        shop=shop, actor=owner_of(shop), upload=upload(name, content), alt_text=alt_text
    )


def test_a_real_jpeg_is_stored_as_webp_at_most_1600_px_long():
    shop = make_claimed_shop()

    photo = add(shop, jpeg_bytes(2400, 1200), alt_text="  Blue plates  drying ")

    stored = Path(settings.MEDIA_ROOT) / photo.image.name
    assert photo.image.name.startswith(f"shops/{shop.pk}/")
    assert stored.suffix == ".webp"
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("WEBP", (1600, 800))
    assert (photo.width, photo.height, photo.position, photo.alt_text) == (
        1600,
        800,
        0,
        "Blue plates drying",
    )
    assert AuditEntry.objects.get(action="shop.photo_added").data == {
        "photo": photo.pk,
        "file": photo.image.name,
    }


def test_a_png_with_transparency_keeps_it():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    photo = add(make_claimed_shop(), buffer.getvalue(), name="logo.png")

    with Image.open(Path(settings.MEDIA_ROOT) / photo.image.name) as stored:
        assert (stored.mode, stored.size) == ("RGBA", (300, 200))


def test_the_gps_position_and_camera_in_the_exif_are_not_kept():
    # given: a phone photo that says where it was taken
    original = jpeg_bytes(with_gps=True)
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)

    # when
    photo = add(make_claimed_shop(), original)

    # then
    path = Path(settings.MEDIA_ROOT) / photo.image.name
    with Image.open(path) as stored:
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info
        assert "xmp" not in stored.info
    data = path.read_bytes()
    assert b"Exif" not in data
    assert b"Test phone" not in data


def test_a_text_file_named_jpg_is_refused_and_nothing_is_written():
    shop = make_claimed_shop()

    with pytest.raises(UnreadableImage) as refusal:
        add(shop, b"<html><script>alert(1)</script></html>", name="holiday.jpg")

    assert str(refusal.value.message) == "This file is not a JPEG, PNG, WebP or HEIC image."
    assert ShopPhoto.objects.count() == 0
    assert media_files() == []
    assert not AuditEntry.objects.filter(action="shop.photo_added").exists()


def test_a_decompression_bomb_is_refused_with_the_message():
    # given: a 55-byte PNG that declares 20000 x 20000 pixels (400 megapixels)
    bomb = png_declaring(20_000, 20_000)
    assert len(bomb) < 100
    shop = make_claimed_shop()

    # when
    with pytest.raises(ImageTooLarge) as refusal:
        add(shop, bomb, name="bomb.png")

    # then
    assert str(refusal.value.message) == (
        "This image has too many pixels (more than 40 megapixels). Resize it and retry."
    )
    assert ShopPhoto.objects.count() == 0
    assert media_files() == []


def test_an_image_over_40_megapixels_is_refused_below_pillows_own_limit():
    # 8000 x 6000 = 48 megapixels: Pillow would decode it; Souk does not.
    with pytest.raises(ImageTooLarge):
        add(make_claimed_shop(), png_declaring(8000, 6000), name="huge.png")

    assert media_files() == []


def test_a_truncated_image_is_refused():
    with pytest.raises(UnreadableImage):
        add(make_claimed_shop(), png_declaring(100, 100), name="broken.png")

    assert media_files() == []


def test_a_file_over_10_mb_is_refused_before_it_is_decoded():
    too_big = b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024)

    with pytest.raises(FileTooLarge) as refusal:
        add(make_claimed_shop(), too_big)

    assert str(refusal.value.message) == "This file is larger than 10 MB."
    assert media_files() == []


def test_a_ninth_photo_is_refused():
    shop = make_claimed_shop()
    small = jpeg_bytes(40, 30)
    for _ in range(8):
        add(shop, small)

    with pytest.raises(TooManyPhotos):
        add(shop, small)

    assert ShopPhoto.objects.filter(shop=shop).count() == 8
    assert len(media_files()) == 8


def test_photos_move_up_and_down_and_removing_one_deletes_its_file(
    client, django_capture_on_commit_callbacks
):
    # given: three photos
    shop = make_claimed_shop()
    first, second, third = (add(shop, jpeg_bytes(40, 30)) for _ in range(3))
    client.force_login(owner_of(shop))
    base = f"/en/shops/manage/{shop.pk}/photos"

    # when: the third moves up, then the first moves down
    client.post(f"{base}/{third.pk}/move/", {"direction": "up"})
    client.post(f"{base}/{first.pk}/move/", {"direction": "down"})

    # then
    order = list(ShopPhoto.objects.filter(shop=shop).values_list("pk", flat=True))
    assert order == [third.pk, first.pk, second.pk]

    # when: the cover is removed
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}/{third.pk}/remove/")

    # then: positions close the gap and the file is gone
    assert response.status_code == 302
    assert list(ShopPhoto.objects.filter(shop=shop).values_list("pk", "position")) == [
        (first.pk, 0),
        (second.pk, 1),
    ]
    assert not (Path(settings.MEDIA_ROOT) / third.image.name).exists()
    assert len(media_files()) == 2


def test_photo_page_shows_why_an_upload_was_refused(client):
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))

    response = client.post(
        f"/en/shops/manage/{shop.pk}/photos/",
        {"image": upload("bomb.png", png_declaring(20_000, 20_000)), "alt_text": ""},
    )

    assert response.status_code == 413
    assert response.context["form"].errors == {
        "image": ["This image has too many pixels (more than 40 megapixels). Resize it and retry."]
    }
    assert ShopPhoto.objects.count() == 0


def test_photo_page_adds_a_photo(client):
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))

    response = client.post(
        f"/en/shops/manage/{shop.pk}/photos/",
        {"image": upload("workshop.jpg", jpeg_bytes()), "alt_text": "The kiln"},
    )

    assert response.status_code == 302
    photo = ShopPhoto.objects.get()
    assert (photo.shop, photo.alt_text, photo.width, photo.height) == (shop, "The kiln", 800, 600)
