"""Reads about notifications, for the notifications page and the header's unread count."""

from __future__ import annotations

from django.db.models import QuerySet

from souk.accounts.models import User
from souk.notifications.models import Notification


def list_notifications(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def count_unread(user: User) -> int:
    """How many of the user's notifications are not read yet (the (recipient, read_at) index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_notification(*, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications; raises Notification.DoesNotExist for anyone else's."""
    return Notification.objects.get(pk=notification_id, recipient=user)
