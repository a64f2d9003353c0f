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
        # The header's unread count, read with the visitor's other answers (core/visitor_state.py).
        from souk.core import visitor_state
        from souk.notifications.models import Notification

        table = Notification._meta.db_table
        unread = f"SELECT COUNT(*) FROM {table} WHERE recipient_id = %s AND read_at IS NULL"  # noqa: S608
        visitor_state.register("notifications.unread", unread)
