from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SandboxConfig(AppConfig):
    name = "souk.sandbox"
    verbose_name = _("Payment sandbox")

    def ready(self) -> None:
        # Registers the secrets check (system checks are registered when imported): production
        # refuses the sandbox's public keys, the sandbox refuses real ones.
        from souk.sandbox import checks  # noqa: F401
