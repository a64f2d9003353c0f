from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    name = "souk.sandbox"
    verbose_name = _("Payment sandbox")
