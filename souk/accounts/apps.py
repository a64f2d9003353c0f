from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_migrate


def _sync_roles_after_migrate(app_config: AppConfig, **kwargs: Any) -> None:
    # post_migrate is sent once per app with models, in INSTALLED_APPS order; permissions of
    # every app (shops, catalog...) exist only once the last one has been handled.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is not with_models[-1]:
        return
    from souk.accounts import services

    services.sync_roles()


def _session_started(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Every log-in (site, back office, tests' force_login) passes here: one session row each.
    from souk.accounts import sessions

    if request is not None and hasattr(request, "session"):
        sessions.start(request=request, user=user)


def _device_remembered(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    # Every log-in, the back office's too, gives this browser its device cookie.
    from django.http import HttpRequest

    from souk.accounts import devices

    if isinstance(request, HttpRequest):
        devices.remember(request=request, user=user)


def _session_ended(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from souk.accounts import sessions

    if request is not None and hasattr(request, "session"):
        sessions.forget(session_key=request.session.session_key)


def _register_visitor_state() -> None:
    """The menu's links depend on the permissions: what identifies the user's own, their
    groups and those groups' (core/visitor_state.py: count and largest id of each)."""
    from django.contrib.auth.models import Group

    from souk.accounts.models import User
    from souk.core import visitor_state

    own = User.user_permissions.through._meta.db_table
    groups = User.groups.through._meta.db_table
    granted = Group.permissions.through._meta.db_table
    # Only our table names are formatted in; the user's id is a parameter.
    identity = "COUNT(*) * 1000000007 + COALESCE(MAX({}), 0)"
    own_sql = f"SELECT {identity.format('id')} FROM {own} WHERE user_id = %s"  # noqa: S608
    groups_sql = f"SELECT {identity.format('id')} FROM {groups} WHERE user_id = %s"  # noqa: S608
    granted_sql = (
        f"SELECT {identity.format('g.id')} FROM {granted} g JOIN {groups} m"  # noqa: S608
        " ON m.group_id = g.group_id WHERE m.user_id = %s"
    )
    visitor_state.register("accounts.permissions", own_sql)
    visitor_state.register("accounts.groups", groups_sql)
    visitor_state.register("accounts.group_permissions", granted_sql)


class AccountsConfig(AppConfig):
    name = "souk.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Roles are groups whose permissions are written after every migrate, on every
        # database: development, CI, production.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="souk.sync_roles")
        user_logged_in.connect(_session_started, dispatch_uid="souk.session_started")
        user_logged_in.connect(_device_remembered, dispatch_uid="souk.device_remembered")
        user_logged_out.connect(_session_ended, dispatch_uid="souk.session_ended")
        _register_visitor_state()
