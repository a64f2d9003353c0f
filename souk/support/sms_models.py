"""The SMS replies artisans text back, kept as they came before anything is done with them
(docs/support.md, "SMS replies"): a reply whose handling failed stays here, marked failed, for
the task worker to try again and for an operator to see in the back office."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SmsReplyStatus(models.TextChoices):
    RECEIVED = "received", _("received, not handled yet")
    HANDLED = "handled", _("handled")
    FAILED = "failed", _("handling failed")


class SmsReply(models.Model):
    """One reply posted by the SMS gateway, unique by the gateway's message id (or, when the
    gateway sends none, by the digest of the signed body), so a retried post is kept and
    handled once."""

    message_id = models.CharField(_("gateway's message id"), max_length=100, unique=True)
    sender = models.CharField(_("from"), max_length=32)
    text = models.TextField(_("text"))
    raw = models.TextField(_("payload as received"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=8, choices=SmsReplyStatus.choices, default=SmsReplyStatus.RECEIVED
    )
    result = models.CharField(_("result"), max_length=16, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("SMS reply")
        verbose_name_plural = _("SMS replies")
        ordering = ("-received_at",)
        indexes = [
            models.Index(
                fields=["received_at"],
                name="support_smsreply_unhandled",
                condition=~models.Q(status="handled"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.sender} {self.received_at:%Y-%m-%d %H:%M} {self.status}"
