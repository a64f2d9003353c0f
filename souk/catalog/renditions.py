"""The responsive WebP copies of product photos, made by tasks.py (and by the demo seeder)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.base import ContentFile

from souk.catalog.models import RENDITION_WIDTHS, ProductPhoto
from souk.shops import files


def make_renditions(data: bytes) -> list[files.Rendition]:
    """The RENDITION_WIDTHS copies of a stored photo's bytes (nothing written)."""
    return files.make_renditions(data, widths=RENDITION_WIDTHS)


def generate_renditions(
    photo: ProductPhoto, *, made: Sequence[files.Rendition] | None = None
) -> ProductPhoto:
    """Write the photo's renditions next to it and mark it ready.

    Idempotent: a ready photo is left as it is, so a second delivery of the task does nothing,
    and a run that stopped before marking it ready is simply run again.
    `made` passes renditions already computed from the same bytes (the demo reuses its
    patterns); by default they are made from the stored photo.
    """
    if photo.is_ready:
        return photo
    if made is None:
        with photo.image.open("rb") as handle:
            made = make_renditions(handle.read())
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
