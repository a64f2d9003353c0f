"""The audit log (who did what to which record, when and why) and the other rows of the kernel."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One recorded decision or change. Append-only: never edited, never deleted by the app."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("record type"), max_length=64)
    target_id = models.CharField(_("record"), max_length=64)
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class TransitionRecord(models.Model):
    """One status move of an aggregate that keeps its own history table (OrderEvent,
    PaymentEvent, PayoutEvent): written by core.machine, never edited."""

    action = models.CharField(max_length=40)
    # Empty for the record of a creation.
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    # None for the system (a processor's callback, a periodic task).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_id: int | None
    # A core.machine.Role value: in whose name the move was made.
    actor_role = models.CharField(max_length=10)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class ExchangeRate(models.Model):
    """How many MAD one unit of `currency` was worth on `date` (central bank reference rate)."""

    date = models.DateField(_("date"))
    currency = models.CharField(_("currency"), max_length=3)
    mad_per_unit = models.DecimalField(_("MAD per unit"), max_digits=14, decimal_places=6)
    source = models.CharField(_("source"), max_length=100, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["date", "currency"], name="one_rate_per_day"),
            models.CheckConstraint(
                condition=models.Q(mad_per_unit__gt=0), name="exchange_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} 1 {self.currency} = {self.mad_per_unit} MAD"


class PeriodicRun(models.Model):
    """When a periodic task was last queued (core/periodic.py). One row per task name; the
    scheduler claims a run with a conditional UPDATE, so two schedulers never queue it twice."""

    name = models.CharField(max_length=100, primary_key=True)
    last_queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.last_queued_at:%Y-%m-%d %H:%M}"


class TaskLease(models.Model):
    """The lease of the worker running a task (core/leases.py): renewed by its heartbeat while
    the worker lives; once `expires_at` passed, the task is taken up again. Not a foreign key:
    the task results belong to django-tasks-db and are pruned on their own schedule."""

    task_result_id = models.UUIDField(primary_key=True)
    worker_id = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.task_result_id} held by {self.worker_id} until {self.expires_at:%H:%M:%S}"
