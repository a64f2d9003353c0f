"""A partner bank's logo, checked from its bytes with the gallery's machinery.

A logo is a raster image (JPEG, PNG, WebP; Pillow decides, not the file's name), at most
MAX_LOGO_BYTES and MAX_LOGO_SIDE px on each side. SVG is refused: it can carry scripts and
links, and Pillow cannot check it. What is stored is the gallery's re-encoding (WebP, no
metadata), shrunk to LOGO_LONG_SIDE px: pages show it in a fixed small box.
"""

from __future__ import annotations

import io
import uuid

from django.core.files import File
from django.core.files.base import ContentFile
from PIL import Image

from souk.banking.errors import LogoTooLarge, LogoTooManyPixels
from souk.core.gallery import images

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 2000
LOGO_LONG_SIDE = 320


def prepare_logo(upload: File[bytes]) -> ContentFile[bytes]:
    """The logo to store, as a WebP file under a fresh name. Raises LogoTooLarge,
    LogoTooManyPixels, or the gallery's UnreadableImage for a file that is no image."""
    if upload.size is not None and upload.size > MAX_LOGO_BYTES:
        raise LogoTooLarge()
    prepared = images.prepare_photo(upload)  # refuses what is not a JPEG/PNG/WebP/HEIC image
    upload.seek(0)
    with Image.open(upload) as original:  # the header only: read above, already known good
        if max(original.size) > MAX_LOGO_SIDE:
            raise LogoTooManyPixels()
    with Image.open(io.BytesIO(prepared.content)) as image:
        image.load()
        image.thumbnail((LOGO_LONG_SIDE, LOGO_LONG_SIDE), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        image.save(buffer, format="WEBP", quality=images.WEBP_QUALITY)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.webp")
