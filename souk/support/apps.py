from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "souk.support"
    label = "support"
    verbose_name = _("Artisan support")

    def ready(self) -> None:
        from souk.core import delegation
        from souk.support import receivers
        from souk.support.middleware import ALLOWED_PAGES

        receivers.connect()
        delegation.allow_pages(ALLOWED_PAGES)
