from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "souk.core"
    label = "core"

    def ready(self) -> None:
        # Registers the deployment checks (system checks are registered when imported).
        from souk.core import checks  # noqa: F401
