"""Private files (KYC scans, register uploads, import reports): stored, never served statically.

They live under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and STATIC_ROOT, with no base URL: the
only way to read one over HTTP is a view that checks who is asking.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through a view.")


private_storage = PrivateStorage()
