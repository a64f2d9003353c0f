"""Product photos: add, remove, move and reorder, each in one transaction as a manager.

The gallery itself (storage, positions, renditions) is souk.core.gallery's; this module adds
the listing's rules: the manager check and the review of edited listings (services.py), the
audit entries, and the cached listing pages to renew.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files import File
from django.db import transaction

from souk.accounts.models import User
from souk.catalog import services, tasks
from souk.catalog.errors import (
    PhotoOrderMismatch,
    PhotoRequired,
    TooManyPhotos,
)
from souk.catalog.events import ListingPagesChanged
from souk.catalog.models import (
    MAX_PHOTOS_PER_PRODUCT,
    Product,
    ProductPhoto,
    ProductStatus,
)
from souk.core import audit, events
from souk.core.gallery import images
from souk.core.gallery import services as gallery


def add_product_photo(
    *, product: Product, actor: User, upload: File[bytes], alt_text: str = ""
) -> ProductPhoto:
    """Add a photo at the end (at most MAX_PHOTOS_PER_PRODUCT); its renditions are made by a
    task queued once the photo is committed.

    The upload is checked and re-encoded (core.gallery.images.prepare_photo: type from the
    bytes, size and pixel limits, EXIF and GPS dropped) before anything is written.
    """
    prepared = images.prepare_photo(upload)
    with transaction.atomic():
        locked = services._lock_as_manager(product, actor)
        with gallery.adding(
            photos=locked.photos.all(),
            photo=ProductPhoto(product=locked),
            prepared=prepared,
            alt_text=alt_text,
            limit=MAX_PHOTOS_PER_PRODUCT,
            too_many=TooManyPhotos,
            make_renditions=tasks.generate_photo_renditions.enqueue,
        ) as photo:
            audit.record(
                actor=actor,
                action="product.photo_added",
                target=locked,
                data={"photo": photo.pk, "file": photo.image.name},
            )
            services._review_again_if_needed(locked, actor=actor)
        return photo


def remove_product_photo(*, product: Product, actor: User, photo_id: int) -> None:
    """Delete a photo and its renditions (files go once committed). A listing past the draft
    keeps one photo at least."""
    with transaction.atomic():
        locked = services._lock_as_manager(product, actor)
        photo = gallery.remove_photo(
            photos=locked.photos.all(),
            photo_id=photo_id,
            last_one=None if locked.status == ProductStatus.DRAFT else PhotoRequired,
        )
        audit.record(
            actor=actor,
            action="product.photo_removed",
            target=locked,
            data={"file": photo.image.name},
        )
        services._review_again_if_needed(locked, actor=actor)
        _forget_cached_pages()


def move_product_photo(*, product: Product, actor: User, photo_id: int, offset: int) -> None:
    """Move a photo one place earlier (offset -1) or later (+1); the first one is the cover.
    The order is not reviewed: every photo already was."""
    with transaction.atomic():
        locked = services._lock_as_manager(product, actor)
        if gallery.move_photo(photos=locked.photos.all(), photo_id=photo_id, offset=offset):
            _forget_cached_pages()


def reorder_product_photos(*, product: Product, actor: User, photo_ids: Sequence[int]) -> None:
    """Put the photos in the order of `photo_ids` (drag-to-reorder); the first is the cover.

    Preconditions: `actor` manages the shop and the listing is editable; `photo_ids` holds each
    of the listing's photo ids exactly once (else PhotoOrderMismatch, nothing changed). Like
    move_product_photo, the order is not reviewed: every photo already was.
    """
    with transaction.atomic():
        locked = services._lock_as_manager(product, actor)
        gallery.reorder_photos(
            photos=locked.photos.all(), photo_ids=photo_ids, mismatch=PhotoOrderMismatch
        )
        _forget_cached_pages()


def _forget_cached_pages() -> None:
    # Listing pages kept in the cache show the photos in their former order.
    events.publish(ListingPagesChanged())
