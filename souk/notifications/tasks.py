"""Background work of notifications: sending the email and SMS copies."""

from __future__ import annotations

from django_tasks import task

from souk.notifications import services
from souk.notifications.errors import NotificationNotSent
from souk.notifications.models import ALL_CHANNELS, Channel


@task()
def send_notification(notification_id: int, channels: list[str] | None = None) -> list[str]:
    """Send the copies of a notification not sent yet (all channels unless `channels` names
    some); returns the channels sent by this run.

    No retry: a failed copy stays unstamped and the task result records the failure; running
    the task again sends only what is still unstamped.
    """
    wanted = ALL_CHANNELS if channels is None else frozenset(Channel(name) for name in channels)
    sent = services.send_notification_copies(notification_id=notification_id, channels=wanted)
    return sorted(sent)


def enqueue_send_notification(notification_id: int, channels: list[str]) -> None:
    """Queue the sending of a notification's copies; called from transaction.on_commit."""
    send_notification.enqueue(notification_id, channels)


@task()
def send_notifications(notification_ids: list[int], channels: list[str]) -> int:
    """Send the copies of many notifications (services.notify_many); returns how many were
    sent. One failing does not stop the others; NotificationNotSent is raised at the end, and
    running the task again sends only what is still unstamped."""
    wanted = frozenset(Channel(name) for name in channels)
    sent, failed = 0, []
    for notification_id in notification_ids:
        try:
            if services.send_notification_copies(notification_id=notification_id, channels=wanted):
                sent += 1
        except NotificationNotSent:
            failed.append(notification_id)
    if failed:
        raise NotificationNotSent(f"Notifications not sent: {failed[:20]}")
    return sent


def enqueue_send_notifications(notification_ids: list[int], channels: list[str]) -> None:
    """Queue the sending of many notifications' copies, in one task."""
    send_notifications.enqueue(notification_ids, channels)
