from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks


def check_private_files_are_outside_media(**kwargs: Any) -> list[checks.CheckMessage]:
    """KYC scans must never be reachable under /media/: PRIVATE_MEDIA_ROOT outside MEDIA_ROOT."""
    private = settings.PRIVATE_MEDIA_ROOT.resolve()
    media = settings.MEDIA_ROOT.resolve()
    if private == media or media in private.parents or private in media.parents:
        return [
            checks.Error(
                "PRIVATE_MEDIA_ROOT and MEDIA_ROOT must not contain each other.",
                hint="Private files (KYC scans) would be served publicly under MEDIA_URL.",
                id="shops.E001",
            )
        ]
    return []


class ShopsConfig(AppConfig):
    name = "souk.shops"
    label = "shops"

    def ready(self) -> None:
        checks.register(check_private_files_are_outside_media, checks.Tags.security)
        from souk.shops import receivers

        receivers.connect()
