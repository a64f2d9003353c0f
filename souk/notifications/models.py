"""Notifications: what a person was told, in their language, and through which channels.

Every notification is a row, read on the notifications page (in-app); email and SMS copies are
sent by a task once the row is committed, and stamped when they are.
"""

from __future__ import annotations

import enum

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(enum.StrEnum):
    """Where a copy of a notification is sent, besides the notifications page."""

    EMAIL = "email"
    SMS = "sms"


ALL_CHANNELS: frozenset[Channel] = frozenset(Channel)

# A trimmed SMS ends with this (GSM-7 characters, so it costs one character each).
SMS_ELLIPSIS = "..."
SMS_MAX_LENGTH = 160


class Notification(models.Model):
    """One message to one person, rendered in their language when it was sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # The template folder it was rendered from: notifications/<kind>/.
    kind = models.CharField(_("kind"), max_length=50)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    sms_text = models.CharField(_("SMS text"), max_length=SMS_MAX_LENGTH, blank=True)
    # A path on this site (with its language prefix) that the notification opens.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    texted_at = models.DateTimeField(_("texted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
