"""The abstract photo every gallery holds: a re-encoded WebP, its place, its text, its copies."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Widths of the WebP renditions made in the background for `srcset`.
RENDITION_WIDTHS = (320, 640, 1280)


def upload_path(instance: GalleryPhoto, filename: str) -> str:
    return f"{instance.upload_folder()}/{filename}"


class GalleryPhoto(models.Model):
    """A photo of a gallery, re-encoded to WebP without metadata; renditions follow in a task.

    A concrete subclass adds the foreign key to what the gallery shows (with related_name
    "photos"), names the folder its files go to and, if it wants, other rendition widths.
    The first photo by position is the cover.
    """

    rendition_widths: ClassVar[tuple[int, ...]] = RENDITION_WIDTHS

    image = models.FileField(_("image"), upload_to=upload_path, max_length=200)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    alt_text = models.CharField(_("description"), max_length=200, blank=True)
    # [[width, height, storage name], ...] by increasing width, written by the rendition task.
    renditions = models.JSONField(_("renditions"), default=list, blank=True)
    is_ready = models.BooleanField(_("renditions ready"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return str(self.image.name)

    def upload_folder(self) -> str:
        """The storage folder of this photo's file, e.g. "shops/12"."""
        raise NotImplementedError


def _rendition_url(photo: GalleryPhoto, name: str) -> str:
    return str(photo.image.storage.url(name))


def photo_srcset(photo: GalleryPhoto) -> str:
    """`srcset` of a ready photo: its renditions, "url 320w, url 640w, ..."."""
    return ", ".join(
        f"{_rendition_url(photo, name)} {width}w" for width, _h, name in photo.renditions
    )


def photo_src(photo: GalleryPhoto) -> tuple[str, int, int]:
    """The fallback `src` of a ready photo (its largest rendition), with its width and height."""
    width, height, name = photo.renditions[-1]
    return _rendition_url(photo, name), width, height
