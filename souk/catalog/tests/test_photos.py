"""Product photos: checked from their bytes, stripped of EXIF, renditions made by the worker."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from PIL import Image

from souk.catalog import photo_services
from souk.catalog.errors import TooManyPhotos
from souk.catalog.models import MAX_PHOTOS_PER_PRODUCT, ProductPhoto
from souk.catalog.tests.factories import make_draft_product, run_worker
from souk.core.models import AuditEntry
from souk.shops.errors import ImageTooLarge, UnreadableImage
from souk.shops.tests.factories import heic_bytes, jpeg_bytes, owner_of, png_declaring, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomenclature():
    """Sectors, trades and regions, which the flush between transactional tests removes."""
    call_command("load_nomenclature", stdout=io.StringIO())


# The worker closes the database connection when it is done, as `manage.py db_worker` does, so
# these tests commit for real (transaction=True) and the photo's task is queued on commit.
@pytest.mark.django_db(transaction=True)
def test_a_photo_is_stored_as_webp_without_exif_and_the_worker_makes_three_renditions(
    nomenclature,
):
    # given
    product = make_draft_product(photo=False)

    # when
    photo = photo_services.add_product_photo(
        product=product,
        actor=owner_of(product.shop),
        upload=upload("gps.jpg", jpeg_bytes(1600, 1200, with_gps=True)),
        alt_text="  Tajine   vert ",
    )
    assert ProductPhoto.objects.get(pk=photo.pk).is_ready is False
    run_worker()

    # then
    photo.refresh_from_db()
    assert photo.is_ready is True
    assert photo.alt_text == "Tajine vert"
    with default_storage.open(photo.image.name) as handle, Image.open(handle) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (1600, 1200)
        assert not stored.getexif()
        assert "exif" not in stored.info
    assert [(width, height) for width, height, _name in photo.renditions] == [
        (320, 240),
        (640, 480),
        (1280, 960),
    ]
    for width, height, name in photo.renditions:
        with default_storage.open(name) as handle, Image.open(handle) as rendition:
            assert (rendition.format, rendition.size) == ("WEBP", (width, height))
            assert not rendition.getexif()
    assert (
        DBTaskResult.objects.get(task_path__endswith="generate_photo_renditions").status
        == "SUCCESSFUL"
    )


@pytest.mark.django_db(transaction=True)
def test_renditions_skip_widths_larger_than_the_photo(nomenclature):
    product = make_draft_product(photo=False)

    photo = photo_services.add_product_photo(
        product=product, actor=owner_of(product.shop), upload=upload("s.jpg", jpeg_bytes(800, 600))
    )
    run_worker()

    photo.refresh_from_db()
    assert [width for width, _h, _n in photo.renditions] == [320, 640]


def test_a_heic_photo_from_a_phone_is_stored_as_upright_webp_without_exif_or_gps():
    # given
    product = make_draft_product(photo=False)
    content = heic_bytes(800, 600)
    assert content[4:12] == b"ftypheic"

    # when
    photo = photo_services.add_product_photo(
        product=product,
        actor=owner_of(product.shop),
        upload=upload("IMG_0001.HEIC", content, content_type="image/heic"),
    )

    # then
    assert photo.image.name.endswith(".webp")
    assert (photo.width, photo.height) == (600, 800)
    with default_storage.open(photo.image.name) as handle, Image.open(handle) as stored:
        assert stored.format == "WEBP"
        assert stored.size == (600, 800)
        assert not stored.getexif()
        assert "exif" not in stored.info
        assert "xmp" not in stored.info


def test_a_text_file_named_heic_is_refused_with_the_translated_error(client):
    # given
    product = make_draft_product(photo=False)
    owner = owner_of(product.shop)
    client.force_login(owner)

    with translation.override("fr"):
        address = reverse(
            "catalog:photos", kwargs={"shop_id": product.shop_id, "product_id": product.pk}
        )
        refusal = str(UnreadableImage().message)

    # when
    response = client.post(
        address, {"image": upload("IMG_0002.heic", b"not a photo, just text\n", "image/heic")}
    )

    # then
    assert response.status_code == 400
    assert refusal == "Ce fichier n'est pas une image JPEG, PNG, WebP ou HEIC."
    assert refusal.replace("'", "&#x27;") in response.content.decode()
    assert ProductPhoto.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"%PDF-1.4 not an image at all", UnreadableImage),
        (b"GIF89a" + b"\x00" * 64, UnreadableImage),
        (png_declaring(20_000, 20_000), ImageTooLarge),
    ],
    ids=["pdf", "gif", "bomb"],
)
def test_a_refused_photo_changes_nothing(content, error, tmp_path):
    # given
    product = make_draft_product(photo=False)
    audit_before = AuditEntry.objects.count()

    # when
    with pytest.raises(error):
        photo_services.add_product_photo(
            product=product, actor=owner_of(product.shop), upload=upload("photo.jpg", content)
        )

    # then
    assert ProductPhoto.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before
    assert DBTaskResult.objects.count() == 0
    media = tmp_path / "media" / "products"
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_an_eleventh_photo_is_refused():
    product = make_draft_product(photo=False)
    owner = owner_of(product.shop)
    small = jpeg_bytes(40, 30)
    for _ in range(MAX_PHOTOS_PER_PRODUCT):
        photo_services.add_product_photo(
            product=product, actor=owner, upload=upload("p.jpg", small)
        )

    with pytest.raises(TooManyPhotos):
        photo_services.add_product_photo(
            product=product, actor=owner, upload=upload("p.jpg", small)
        )

    assert product.photos.count() == MAX_PHOTOS_PER_PRODUCT


def test_photos_move_up_and_down_and_removal_renumbers():
    product = make_draft_product(photo=False)
    owner = owner_of(product.shop)
    photos = [
        photo_services.add_product_photo(
            product=product, actor=owner, upload=upload("p.jpg", jpeg_bytes(40, 30))
        )
        for _ in range(3)
    ]

    photo_services.move_product_photo(
        product=product, actor=owner, photo_id=photos[2].pk, offset=-1
    )
    photo_services.remove_product_photo(product=product, actor=owner, photo_id=photos[0].pk)

    assert list(product.photos.order_by("position").values_list("pk", "position")) == [
        (photos[2].pk, 0),
        (photos[1].pk, 1),
    ]


def test_generated_webp_is_really_webp():
    data = jpeg_bytes(100, 80)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
