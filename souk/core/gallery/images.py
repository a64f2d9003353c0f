"""Uploaded photos, checked from their bytes (never from their name or the browser's type).

Photos (JPEG, PNG, WebP, and the HEIC/HEIF of phones through pillow-heif) are decoded with
Pillow and re-encoded to WebP: what is stored is pixels we produced, so no metadata (EXIF, GPS
position, camera serial) and no hidden payload survives. The renditions are WebP copies of the
photo at a few widths, for `srcset`.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pillow_heif
from django.core.files import File
from django.core.files.base import ContentFile
from PIL import (
    Image,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    UnidentifiedImageError,
    WebPImagePlugin,
)
from pillow_heif.as_plugin import HeifImageFile

from souk.core.gallery.errors import FileTooLarge, ImageTooLarge, UnreadableImage

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Above this a decoded image takes over 160 MB of memory: phones take 12 to 50 megapixels, and
# a larger one is far more likely a decompression bomb than a photo.
MAX_IMAGE_PIXELS = 40_000_000
PHOTO_LONG_SIDE = 1600
WEBP_QUALITY = 82

# iPhones save HEIC by default; pillow-heif adds a Pillow reader for it (format "HEIF", which
# covers .heic and .heif). Registered once, when this module is first imported.
pillow_heif.register_heif_opener()

# The readers tried, by Pillow's format names; naming the plugins registers them before the
# first upload. Phones' multi-picture JPEGs (MPO) come through the JPEG reader.
_PHOTO_FORMATS = (
    JpegImagePlugin.JpegImageFile.format,
    PngImagePlugin.PngImageFile.format,
    WebPImagePlugin.WebPImageFile.format,
    HeifImageFile.format,
)


@dataclass(frozen=True, slots=True)
class PreparedPhoto:
    content: bytes
    width: int
    height: int


def read_limited(upload: File[bytes]) -> bytes:
    """The whole upload, refused beyond MAX_UPLOAD_BYTES without reading it all."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise FileTooLarge()
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = bytearray()
    for chunk in upload.chunks():
        content.extend(chunk)
        if len(content) > MAX_UPLOAD_BYTES:
            raise FileTooLarge()
    return bytes(content)


def prepare_photo(upload: File[bytes]) -> PreparedPhoto:
    """Check an uploaded photo and return it as WebP, at most PHOTO_LONG_SIDE px long, upright,
    without any metadata. Raises FileTooLarge, ImageTooLarge or UnreadableImage."""
    data = read_limited(upload)
    # Pillow warns (and past twice its limit refuses) on huge images when opening them; both
    # become our refusal. Only the header is read at this point, so a bomb costs nothing yet.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=_PHOTO_FORMATS)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise ImageTooLarge() from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise UnreadableImage() from error
    with image:
        width, height = image.size
        if width * height > MAX_IMAGE_PIXELS:
            raise ImageTooLarge()
        try:
            image.load()
            # Phones store "rotate me" in EXIF; apply it now, since the EXIF goes away.
            upright = ImageOps.exif_transpose(image)
            has_alpha = upright.mode in {"RGBA", "LA", "PA"} or (
                upright.mode == "P" and "transparency" in upright.info
            )
            pixels = upright.convert("RGBA" if has_alpha else "RGB")
        except (OSError, SyntaxError, ValueError) as error:
            # Truncated or corrupt data only shows when decoding.
            raise UnreadableImage() from error
    pixels.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
    # A fresh image holds the pixels and nothing else: no EXIF, XMP or comments to carry over.
    clean = Image.new(pixels.mode, pixels.size)
    clean.paste(pixels)
    buffer = io.BytesIO()
    clean.save(buffer, format="WEBP", quality=WEBP_QUALITY)
    return PreparedPhoto(content=buffer.getvalue(), width=clean.width, height=clean.height)


@contextmanager
def stored_photo(photo: Any, prepared: PreparedPhoto) -> Iterator[None]:
    """Write `prepared` as `photo.image` under a fresh random name, with its size; if the block
    that saves the row fails, delete the file again, so no orphan is left on disk.

    `photo` is any model with image, width and height (a gallery photo, a return's photo)."""
    photo.width, photo.height = prepared.width, prepared.height
    photo.image.save(f"{uuid.uuid4().hex}.webp", ContentFile(prepared.content), save=False)
    try:
        yield
    except BaseException:
        photo.image.storage.delete(photo.image.name)
        raise


@dataclass(frozen=True, slots=True)
class Rendition:
    content: bytes
    width: int
    height: int


def make_renditions(data: bytes, *, widths: tuple[int, ...]) -> list[Rendition]:
    """WebP copies of a photo we already re-encoded (prepare_photo), `widths` px wide.

    Widths above the photo's own are skipped: enlarging adds bytes, not detail. The smallest
    width is always made, so every photo has at least one rendition.
    """
    with Image.open(io.BytesIO(data), formats=_PHOTO_FORMATS) as image:
        image.load()
        source = image.copy()
    renditions = []
    for index, width in enumerate(sorted(widths)):
        if width > source.width and index > 0:
            break
        height = max(1, round(source.height * width / source.width))
        resized = source.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, format="WEBP", quality=WEBP_QUALITY)
        renditions.append(Rendition(content=buffer.getvalue(), width=width, height=height))
    return renditions
