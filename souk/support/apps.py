from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "souk.support"
    label = "support"
    verbose_name = _("Artisan support")

    def ready(self) -> None:
        from souk.support import receivers

        receivers.connect()
