"""The sandbox wallet's pending push requests (the sandbox card processor stores nothing)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PushStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the wallet holder")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class WalletPushRequest(models.Model):
    """A merchant's payment request shown in the sandbox wallet of one phone number."""

    merchant_id = models.CharField(max_length=32)
    merchant_name = models.CharField(max_length=25)
    bill_number = models.CharField(max_length=64)
    reference = models.CharField(max_length=25)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    phone = models.CharField(max_length=16, db_index=True)
    callback_url = models.URLField(max_length=300)
    status = models.CharField(max_length=8, choices=PushStatus.choices, default=PushStatus.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.bill_number} for {self.phone} ({self.status})"
