from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    name = "souk.fulfilment"
    verbose_name = _("Shipments")
