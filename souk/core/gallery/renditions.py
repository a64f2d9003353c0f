"""The responsive WebP copies of a gallery photo, written next to it (by tasks.py or a seeder)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.core.files.base import ContentFile

from souk.core.gallery import images
from souk.core.gallery.models import GalleryPhoto

P = TypeVar("P", bound=GalleryPhoto)


def make_renditions(
    data: bytes, *, widths: tuple[int, ...] = GalleryPhoto.rendition_widths
) -> list[images.Rendition]:
    """The copies of a stored photo's bytes at `widths` (nothing written)."""
    return images.make_renditions(data, widths=widths)


def generate_renditions(photo: P, *, made: Sequence[images.Rendition] | None = None) -> P:
    """Write the photo's renditions next to it and mark it ready.

    Idempotent: a ready photo is left as it is, so a second delivery of the task does nothing,
    and a run that stopped before marking it ready is simply run again.
    `made` passes renditions already computed from the same bytes (the demo reuses its
    patterns); by default they are made from the stored photo at its model's widths.
    """
    if photo.is_ready:
        return photo
    if made is None:
        with photo.image.open("rb") as handle:
            made = make_renditions(handle.read(), widths=photo.rendition_widths)
    storage = photo.image.storage
    stem = photo.image.name.rsplit(".", 1)[0]
    written = []
    for rendition in made:
        target = f"{stem}-{rendition.width}.webp"
        # A run stopped midway (its worker died) left some copies: this run replaces them
        # rather than writing a second set under new names.
        if storage.exists(target):
            storage.delete(target)
        name = storage.save(target, ContentFile(rendition.content))
        written.append([rendition.width, rendition.height, name])
    photo.renditions = written
    photo.is_ready = True
    photo.save(update_fields=["renditions", "is_ready"])
    return photo
