from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "souk.banking"
    verbose_name = _("Banking")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from souk.banking import receivers

        receivers.connect()
