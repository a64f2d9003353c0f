"""KYC documents, checked from their first bytes; the photo handling lives in the gallery.

A KYC document is kept as sent, once its first bytes show a PDF, JPEG or PNG. Photos are
checked and re-encoded by souk.core.gallery.images, re-exported here for the callers that
store a photo outside a gallery (return requests, onboarding).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files import File

from souk.core.gallery.images import (
    MAX_UPLOAD_BYTES as MAX_UPLOAD_BYTES,
)
from souk.core.gallery.images import (
    PreparedPhoto as PreparedPhoto,
)
from souk.core.gallery.images import (
    prepare_photo as prepare_photo,
)
from souk.core.gallery.images import (
    read_limited,
)
from souk.core.gallery.images import (
    stored_photo as stored_photo,
)
from souk.shops.errors import UnacceptedDocument

# A file's first bytes ("magic numbers") say what it is, whatever its name claims.
_DOCUMENT_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


@dataclass(frozen=True, slots=True)
class CheckedDocument:
    content: bytes
    content_type: str
    extension: str


def check_document(upload: File[bytes]) -> CheckedDocument:
    """Check a KYC scan: at most MAX_UPLOAD_BYTES and really a PDF, JPEG or PNG.
    Raises FileTooLarge or UnacceptedDocument."""
    data = read_limited(upload)
    for signature, content_type, extension in _DOCUMENT_SIGNATURES:
        if data.startswith(signature):
            return CheckedDocument(content=data, content_type=content_type, extension=extension)
    raise UnacceptedDocument()
