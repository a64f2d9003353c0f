from typing import Any

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(app_config: AppConfig, **kwargs: Any) -> None:
    # post_migrate is sent once per app with models, in INSTALLED_APPS order; permissions of
    # every app (shops, catalog...) exist only once the last one has been handled.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not with_models[-1]:
        return
    from souk.accounts import services

    services.sync_roles()


class AccountsConfig(AppConfig):
    name = "souk.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Roles are groups whose permissions are written after every migrate, on every
        # database: development, CI, production.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="souk.sync_roles")
