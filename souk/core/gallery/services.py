"""Writes of a gallery: add, remove, move and reorder photos, inside the caller's transaction.

The caller (an app's use case) opens the transaction, locks what the gallery belongs to and
checks who may change it; these functions do the gallery's part and leave the app's own
(audit entries, reviews, caches) to it. `photos` is the owner's photos as a queryset
(`locked.photos.all()`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.db import models, transaction

from souk.core.errors import DomainError
from souk.core.gallery import images, tasks
from souk.core.gallery.models import GalleryPhoto

P = TypeVar("P", bound=GalleryPhoto)

MAX_ALT_TEXT = 200


@contextmanager
def adding(
    *,
    photos: models.QuerySet[P],
    photo: P,
    prepared: images.PreparedPhoto,
    alt_text: str = "",
    limit: int,
    too_many: type[DomainError],
    make_renditions: Callable[[int], object] | None = None,
) -> Iterator[P]:
    """Add `photo` (unsaved, its owner set) at the end of `photos` with the `prepared` image;
    the block under `with` runs once it is saved (audit it there). Raises `too_many` when
    `photos` already holds `limit`.

    If the block fails, the file is deleted again, so no orphan is left on disk. Once the
    transaction commits, the renditions are made by `make_renditions(photo_id)`, by default the
    gallery's own task.
    """
    positions = list(photos.values_list("position", flat=True))
    if len(positions) >= limit:
        raise too_many()
    photo.position = max(positions, default=-1) + 1
    photo.alt_text = " ".join(alt_text.split())[:MAX_ALT_TEXT]
    with images.stored_photo(photo, prepared):
        photo.save()
        yield photo
    photo_id = photo.pk
    queue = make_renditions or _queue_renditions(type(photo))
    transaction.on_commit(lambda: queue(photo_id))


def _queue_renditions(model: type[GalleryPhoto]) -> Callable[[int], object]:
    label = model._meta.label
    return lambda photo_id: tasks.generate_photo_renditions.enqueue(label, photo_id)


def remove_photo(
    *, photos: models.QuerySet[P], photo_id: int, last_one: type[DomainError] | None = None
) -> P:
    """Delete a photo and renumber the others; its file and renditions go once committed.

    Raises the model's DoesNotExist when `photos` has no such photo, and `last_one` (when
    given) rather than removing the only photo left. Returns the deleted photo.
    """
    photo = photos.get(pk=photo_id)
    if last_one is not None and photos.count() <= 1:
        raise last_one()
    storage = photo.image.storage
    names = [photo.image.name, *(name for _w, _h, name in photo.renditions)]
    photo.delete()
    _renumber(list(photos.order_by("position", "id")))
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return photo


def move_photo(*, photos: models.QuerySet[P], photo_id: int, offset: int) -> bool:
    """Move a photo one place earlier (offset -1) or later (+1); the first one is the cover.
    False when it already was first or last. Raises the model's DoesNotExist."""
    ordered = list(photos.order_by("position", "id"))
    index = next((i for i, photo in enumerate(ordered) if photo.pk == photo_id), None)
    if index is None:
        raise photos.model.DoesNotExist()
    target = index + (1 if offset > 0 else -1)
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _renumber(ordered)
    return True


def reorder_photos(
    *, photos: models.QuerySet[P], photo_ids: Sequence[int], mismatch: type[DomainError]
) -> None:
    """Put the photos in the order of `photo_ids` (drag-to-reorder); the first is the cover.

    `photo_ids` must hold each of the photos' ids exactly once, else `mismatch` is raised and
    nothing changes.
    """
    by_id = {photo.pk: photo for photo in photos}
    if len(photo_ids) != len(by_id) or set(photo_ids) != set(by_id):
        raise mismatch()
    _renumber([by_id[photo_id] for photo_id in photo_ids])


def _renumber(ordered: list[P]) -> None:
    for position, photo in enumerate(ordered):
        photo.position = position
    if ordered:
        type(ordered[0])._default_manager.bulk_update(ordered, ["position"])
