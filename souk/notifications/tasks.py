"""Background work of notifications: sending the email and SMS copies."""

from __future__ import annotations

from django_tasks import task

from souk.notifications import services
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
