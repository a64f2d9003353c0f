"""Product photos: add, remove, move and reorder, each in one transaction as a manager.

Split from services.py (which re-exports these names); the manager check and the review rule
for edited listings stay there and are reached through it.
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
from souk.shops import files


def add_product_photo(
    *, product: Product, actor: User, upload: File[bytes], alt_text: str = ""
) -> ProductPhoto:
    """Add a photo at the end (at most MAX_PHOTOS_PER_PRODUCT); its renditions are made by a
    task queued once the photo is committed.

    The upload is checked and re-encoded (shops.files.prepare_photo: type from the bytes, size
    and pixel limits, EXIF and GPS dropped) before anything is written.
    """
    prepared = files.prepare_photo(upload)
    with transaction.atomic():
        locked = services._lock_as_manager(product, actor)
        positions = list(locked.photos.values_list("position", flat=True))
        if len(positions) >= MAX_PHOTOS_PER_PRODUCT:
            raise TooManyPhotos()
        photo = ProductPhoto(
            product=locked,
            position=max(positions, default=-1) + 1,
            alt_text=" ".join(alt_text.split())[:200],
        )
        with files.stored_photo(photo, prepared):
            photo.save()
            audit.record(
                actor=actor,
                action="product.photo_added",
                target=locked,
                data={"photo": photo.pk, "file": photo.image.name},
            )
            services._review_again_if_needed(locked, actor=actor)
        photo_id = photo.pk
        transaction.on_commit(lambda: tasks.generate_photo_renditions.enqueue(photo_id))
        return photo


def remove_product_photo(*, product: Product, actor: User, photo_id: int) -> None:
    """Delete a photo and its renditions (files go once committed). A listing past the draft
    keeps one photo at least."""
    with transaction.atomic():
        locked = services._lock_as_manager(product, actor)
        photo = ProductPhoto.objects.get(product=locked, pk=photo_id)
        if locked.status != ProductStatus.DRAFT and locked.photos.count() <= 1:
            raise PhotoRequired()
        storage = photo.image.storage
        names = [photo.image.name, *(name for _w, _h, name in photo.renditions)]
        photo.delete()
        _renumber_photos(locked)
        audit.record(
            actor=actor,
            action="product.photo_removed",
            target=locked,
            data={"file": photo.image.name},
        )
        services._review_again_if_needed(locked, actor=actor)
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def move_product_photo(*, product: Product, actor: User, photo_id: int, offset: int) -> None:
    """Move a photo one place earlier (offset -1) or later (+1); the first one is the cover.
    The order is not reviewed: every photo already was."""
    with transaction.atomic():
        locked = services._lock_as_manager(product, actor)
        photos = list(locked.photos.order_by("position", "id"))
        index = next((i for i, photo in enumerate(photos) if photo.pk == photo_id), None)
        if index is None:
            raise ProductPhoto.DoesNotExist()
        target = index + (1 if offset > 0 else -1)
        if 0 <= target < len(photos):
            photos[index], photos[target] = photos[target], photos[index]
            _renumber_photos(locked, photos)


def reorder_product_photos(*, product: Product, actor: User, photo_ids: Sequence[int]) -> None:
    """Put the photos in the order of `photo_ids` (drag-to-reorder); the first is the cover.

    Preconditions: `actor` manages the shop and the listing is editable; `photo_ids` holds each
    of the listing's photo ids exactly once (else PhotoOrderMismatch, nothing changed). Like
    move_product_photo, the order is not reviewed: every photo already was.
    """
    with transaction.atomic():
        locked = services._lock_as_manager(product, actor)
        photos = {photo.pk: photo for photo in locked.photos.all()}
        if len(photo_ids) != len(photos) or set(photo_ids) != set(photos):
            raise PhotoOrderMismatch()
        _renumber_photos(locked, [photos[photo_id] for photo_id in photo_ids])


def _renumber_photos(product: Product, ordered: list[ProductPhoto] | None = None) -> None:
    photos = ordered if ordered is not None else list(product.photos.order_by("position", "id"))
    for position, photo in enumerate(photos):
        photo.position = position
    ProductPhoto.objects.bulk_update(photos, ["position"])
    # Listing pages kept in the cache show the photos in their former order.
    events.publish(ListingPagesChanged())
