"""Refusals of an uploaded photo, whichever gallery it was meant for."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


class GalleryError(DomainError):
    code = "gallery_error"


class UnreadableImage(GalleryError):
    code = "unreadable_image"
    message = _("This file is not a JPEG, PNG, WebP or HEIC image.")


class FileTooLarge(GalleryError):
    code = "file_too_large"
    http_status = 413
    message = _("This file is larger than 10 MB.")


class ImageTooLarge(GalleryError):
    code = "image_too_large"
    http_status = 413
    message = _("This image has too many pixels (more than 40 megapixels). Resize it and retry.")


class PhotoOrderMismatch(GalleryError):
    code = "photo_order_mismatch"
    message = _("The new order must list each photo once; reload the page.")
