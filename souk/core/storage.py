"""Private files (KYC scans, register uploads, import reports): stored, never served statically.

They live under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and STATIC_ROOT, with no base URL: the
only way to read one over HTTP is a view that checks who is asking. On disk each file is
created 0600 in folders created 0700, so no other account of the machine reads them either.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

from souk.core.config import PRIVATE_DIRECTORY_MODE, PRIVATE_FILE_MODE


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self) -> None:
        super().__init__(
            base_url=None,
            file_permissions_mode=PRIVATE_FILE_MODE,
            directory_permissions_mode=PRIVATE_DIRECTORY_MODE,
        )

    # Read from the setting when first used, not at import, and again whenever the setting
    # changes (tests point it at a temporary folder), like the default storage's MEDIA_ROOT.
    @cached_property
    def base_location(self) -> str | PathLike[str]:
        return Path(settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        # The stubs list only the settings the parent handles; the signal sends every name.
        super()._clear_cached_properties(setting, **kwargs)  # type: ignore[arg-type]
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; serve them through a view.")


private_storage = PrivateStorage()
