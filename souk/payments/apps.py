from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "souk.payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from souk.payments import receivers

        receivers.connect()
