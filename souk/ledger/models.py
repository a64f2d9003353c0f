"""Double-entry ledger: accounts, journal entries and their transfers (see docs/ledger.md).

Every movement of money is a Transfer from one account (debited) to another (credited) for a
positive amount in one currency; the transfers of one business event form a JournalEntry,
posted atomically. Accounts keep four running totals (debits and credits, posted and pending),
updated in the same transaction as the transfers and always rebuildable from them.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core.money import Money


class AccountType(models.TextChoices):
    PROCESSOR_CLEARING = "processor_clearing", _("Processor clearing")
    ESCROW = "escrow", _("Escrow")
    ARTISAN_PAYABLE = "artisan_payable", _("Artisan payable")
    # What an artisan owes the platform: a refund of a parcel it was already paid for.
    ARTISAN_DEBT = "artisan_debt", _("Artisan debt")
    COMMISSION_REVENUE = "commission_revenue", _("Platform commission revenue")
    PROCESSOR_FEES = "processor_fees", _("Processor fees")
    REFUNDS_CLEARING = "refunds_clearing", _("Refunds clearing")
    COD_RECEIVABLE = "cod_receivable", _("Cash-on-delivery carrier receivable")
    PAYOUTS_IN_TRANSIT = "payouts_in_transit", _("Payouts in transit")
    BANK = "bank", _("Marketplace bank account")
    FX = "fx", _("Currency exchange")


class NormalSide(models.TextChoices):
    """Which side makes the balance grow: assets and expenses on debit, liabilities and revenue
    on credit."""

    DEBIT = "debit", _("debit")
    CREDIT = "credit", _("credit")


class LedgerAccount(models.Model):
    """One account in one currency, e.g. the escrow of shop 42 in MAD."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    type = models.CharField(_("type"), max_length=24, choices=AccountType.choices)
    currency = models.CharField(_("currency"), max_length=3)
    normal_side = models.CharField(_("normal side"), max_length=6, choices=NormalSide.choices)
    # When false, no posting may take the balance (on its normal side) below zero.
    may_go_negative = models.BooleanField(_("balance may go negative"), default=False)
    owner_type = models.CharField(_("owner type"), max_length=32, blank=True)
    owner_id = models.CharField(_("owner"), max_length=64, blank=True)
    debits_posted = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)
    debits_pending = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        indexes = [models.Index(fields=["owner_type", "owner_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(debits_posted__gte=0)
                & Q(credits_posted__gte=0)
                & Q(debits_pending__gte=0)
                & Q(credits_pending__gte=0),
                name="ledger_account_totals_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.currency})"

    def _signed(self, debits: int, credits: int) -> int:
        return debits - credits if self.normal_side == NormalSide.DEBIT else credits - debits

    @property
    def balance(self) -> Money:
        """Posted balance on the account's normal side."""
        return Money(self._signed(self.debits_posted, self.credits_posted), self.currency)

    @property
    def available(self) -> Money:
        """Posted balance less what pending transfers already hold against it."""
        held = (
            self.debits_pending if self.normal_side == NormalSide.CREDIT else self.credits_pending
        )
        return Money(self._signed(self.debits_posted, self.credits_posted) - held, self.currency)


class JournalEntry(models.Model):
    """One business event (a payment captured, a sub-order completed...), its transfers posted
    all together or not at all. `key` makes posting idempotent."""

    key = models.CharField(_("idempotency key"), max_length=150, unique=True)
    code = models.CharField(_("event"), max_length=48)
    description = models.CharField(_("description"), max_length=255, blank=True)
    # Digest of the legs: re-posting the same key with other content is refused.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.key}"


class TransferStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    PENDING = "pending", _("Pending")
    # A pending transfer ends as one of these; the money then moves (or not) by a new transfer.
    POSTED_FROM_PENDING = "settled", _("Settled")
    VOIDED = "voided", _("Voided")


class Transfer(models.Model):
    """Money from `debit_account` to `credit_account`. Immutable once written (status of a
    pending transfer aside)."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="transfers")
    debit_account = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="debit_transfers"
    )
    credit_account = models.ForeignKey(
        LedgerAccount, on_delete=models.PROTECT, related_name="credit_transfers"
    )
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    code = models.CharField(max_length=48)
    status = models.CharField(max_length=8, choices=TransferStatus.choices)
    pending = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resolutions",
        help_text="For the transfer that posts or voids a pending one: that pending transfer.",
    )
    reference_type = models.CharField(max_length=32, blank=True)
    reference_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [models.Index(fields=["reference_type", "reference_id"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(
                condition=~Q(debit_account=F("credit_account")),
                name="transfer_between_two_accounts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.amount} {self.currency} {self.status}"

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)
