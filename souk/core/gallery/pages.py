"""What the manager's photos page shows (templates/gallery/_photos.html), built by a view."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from souk.core.gallery.forms import PhotoForm
from souk.core.gallery.models import GalleryPhoto


@dataclass(frozen=True, slots=True)
class GalleryItem:
    photo: GalleryPhoto
    move_url: str
    remove_url: str


@dataclass(frozen=True, slots=True)
class GalleryPage:
    """The photos in order with their buttons' addresses, and the form that adds one.

    `until_ready` is what stands for a photo whose renditions are not made yet: "placeholder"
    (a box saying so) or "original" (the stored photo itself).
    """

    items: list[GalleryItem]
    form: PhotoForm
    is_editable: bool
    max_photos: int
    reorder_url: str
    until_ready: str = "placeholder"

    @property
    def is_sortable(self) -> bool:
        """Drag-to-reorder is offered: the photos can change and there are two at least."""
        return self.is_editable and len(self.items) > 1

    @property
    def can_add(self) -> bool:
        return self.is_editable and len(self.items) < self.max_photos


def gallery_page(
    *,
    photos: Iterable[GalleryPhoto],
    form: PhotoForm,
    is_editable: bool,
    max_photos: int,
    reorder_url: str,
    move_url: Callable[[int], str],
    remove_url: Callable[[int], str],
    until_ready: str = "placeholder",
) -> GalleryPage:
    """The page of `photos` (in their order); `move_url` and `remove_url` give a photo's
    addresses from its id."""
    return GalleryPage(
        items=[
            GalleryItem(photo=photo, move_url=move_url(photo.pk), remove_url=remove_url(photo.pk))
            for photo in photos
        ],
        form=form,
        is_editable=is_editable,
        max_photos=max_photos,
        reorder_url=reorder_url,
        until_ready=until_ready,
    )
