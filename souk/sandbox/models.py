"""What the sandbox remembers: the wallet's push requests, and the processor's own journal of
the card payments it approved and refunded (it plays the processor, so it keeps its own books,
never Souk's: the settlement file is written from them). No card number is ever stored, only
the masked one."""

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


class TransactionType(models.TextChoices):
    PURCHASE = "PURCHASE", _("Purchase")
    REFUND = "REFUND", _("Refund")


class ProcessorTransaction(models.Model):
    """One approved card payment or refund, as the sandbox processor records it."""

    oid = models.CharField(max_length=64, db_index=True)
    trans_id = models.CharField(max_length=64, unique=True)
    auth_code = models.CharField(max_length=16, blank=True)
    type = models.CharField(max_length=8, choices=TransactionType.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    card_brand = models.CharField(max_length=16, blank=True)
    # Only ever the masked number (400000***0010).
    masked_pan = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # When the merchant answered ACTION=POSTAUTH: only captured purchases are settled.
    captured_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.type} {self.trans_id} for {self.oid}"


class WalletPayoutReceived(models.Model):
    """A payout the sandbox wallet provider was asked to make, once per reference (its
    idempotency key); `times_requested` counts the requests, so a payout sent twice shows."""

    reference = models.CharField(max_length=35, unique=True)
    phone = models.CharField(max_length=16)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    beneficiary_name = models.CharField(max_length=70)
    times_requested = models.PositiveIntegerField(default=1)
    received_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.reference} x{self.times_requested}"
