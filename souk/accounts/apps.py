from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(**kwargs: Any) -> None:
    from souk.accounts import services

    services.sync_roles()


class AccountsConfig(AppConfig):
    name = "souk.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Permissions exist only after migrate has created them (post_migrate of auth), so the
        # role groups are written then, for every database: development, CI, production.
        post_migrate.connect(_sync_roles_after_migrate, sender=self)
