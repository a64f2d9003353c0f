from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "souk.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Core's periodic jobs and task leases alert "the operators" without knowing who they
        # are or how to reach them (core.alerts): notifications tells each of them.
        from souk.core import alerts
        from souk.notifications import services

        alerts.register_handler(services.notify_operators)
