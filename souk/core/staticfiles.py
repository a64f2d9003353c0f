"""Static files: hashed, compressed names in production; plain names before collectstatic."""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class SoukStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage that falls back to the plain name when a file is not collected.

    `make run` runs collectstatic, so pages link to hashed, far-future-cached files. Tests and a
    bare `manage.py` session have collected nothing and still render, linking the plain name.
    """

    manifest_strict = False

    def url(self, name: str | None, force: bool = False) -> str:
        try:
            return str(super().url(name, force))
        except ValueError:
            return StaticFilesStorage.url(self, name)
