"""Assisted mode and lessons (docs/support.md): the artisan's consent for their advisor to act
on their behalf, and the artisan's progress through the short lessons. Imported by models.py."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ASSISTANCE_DAYS = 7


class AssistanceStatus(models.TextChoices):
    ASKED = "asked", _("Asked, waiting for the artisan")
    ACTIVE = "active", _("Allowed")
    REFUSED = "refused", _("Refused by the artisan")
    ENDED = "ended", _("Ended")


class ConsentChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    SMS_CODE = "sms_code", _("Code sent by SMS, read to the advisor")


class EndReason(models.TextChoices):
    ARTISAN = "artisan", _("Ended by the artisan")
    ADVISOR = "advisor", _("Ended by the advisor")
    REPLACED = "replaced", _("Replaced by a new request")


class Assistance(models.Model):
    """An advisor may act for an artisan while status is active and `expires_at` is ahead (and
    they still follow the artisan). Rows are never deleted: they are the artisan's record."""

    artisan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("artisan"),
        on_delete=models.CASCADE,
        related_name="support_assistances",
    )
    advisor = models.ForeignKey(
        "support.Advisor",
        verbose_name=_("advisor"),
        on_delete=models.PROTECT,
        related_name="assistances",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=AssistanceStatus.choices, default="asked"
    )
    days = models.PositiveSmallIntegerField(_("days allowed"), default=ASSISTANCE_DAYS)
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    channel = models.CharField(
        _("consent given"), max_length=8, choices=ConsentChannel.choices, blank=True
    )
    consented_at = models.DateTimeField(_("allowed at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("allowed until"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("why it ended"), max_length=8, choices=EndReason.choices, blank=True
    )
    # The SMS code's keyed digest (never the code), its expiry and the wrong tries so far.
    code_digest = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_tries = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("assisted mode")
        verbose_name_plural = _("assisted modes")
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["artisan"],
                condition=Q(status__in=["asked", "active"]),
                name="support_one_open_assistance_per_artisan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.advisor} → {self.artisan_id} ({self.status})"

    def in_force(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.status == AssistanceStatus.ACTIVE
            and self.expires_at is not None
            and now < self.expires_at
        )


class LessonProgress(models.Model):
    """An artisan opened a lesson (first time) and finished it (said so)."""

    artisan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("artisan"),
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.CharField(_("lesson"), max_length=32)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["artisan", "lesson"], name="support_one_progress")
        ]

    def __str__(self) -> str:
        return f"{self.artisan_id} {self.lesson}"


class LessonSuggestion(models.Model):
    """An advisor suggested a lesson to an artisan of their portfolio."""

    artisan = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("artisan"),
        on_delete=models.CASCADE,
        related_name="lesson_suggestions",
    )
    lesson = models.CharField(_("lesson"), max_length=32)
    advisor = models.ForeignKey(
        "support.Advisor", verbose_name=_("advisor"), on_delete=models.PROTECT
    )
    suggested_at = models.DateTimeField(_("suggested at"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson suggested")
        verbose_name_plural = _("lessons suggested")
        ordering = ["-suggested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.lesson} → {self.artisan_id}"
