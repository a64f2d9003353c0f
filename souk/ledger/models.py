"""Double-entry ledger: accounts, journal entries and their transfers (see docs/ledger.md).

Every movement of money is a Transfer from one account (debited) to another (credited) for a
positive amount in one currency; the transfers of one business event form a JournalEntry,
posted atomically. Accounts keep four running totals (debits and credits, posted and pending),
updated in the same transaction as the transfers and always rebuildable from them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core.fields import EncryptedTextField
from souk.core.machine import Actor, Transition, transition
from souk.core.models import TransitionRecord
from souk.core.money import Money
from souk.core.storage import private_storage


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
    # A partner's claim on an artisan that Souk collects for it (a bank's advance: principal
    # and fee), its memo counterpart, and what Souk collected and owes the partner
    # (docs/banking.md, "Advances").
    PARTNER_RECEIVABLE = "partner_receivable", _("Partner receivable from an artisan")
    PARTNER_FINANCING = "partner_financing", _("Partner financing (memo)")
    PARTNER_PAYABLE = "partner_payable", _("Payable to a partner")


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
    # A platform account every order moves (processor clearing, commission revenue...): its row
    # is never locked by a posting; its movements go to its shards (AccountShard) and its totals
    # are this row's plus its shards' (docs/ledger.md, "Hot accounts"). Only for an account that
    # may go negative: there is no balance to check, so nothing to lock it for.
    hot = models.BooleanField(_("hot account"), default=False)
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
            ),
            models.CheckConstraint(
                condition=Q(hot=False) | Q(may_go_negative=True),
                name="ledger_hot_account_may_go_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.currency})"

    def _signed(self, debits: int, credits: int) -> int:
        return debits - credits if self.normal_side == NormalSide.DEBIT else credits - debits

    @property
    def totals(self) -> tuple[int, int, int, int]:
        """(debits posted, credits posted, debits pending, credits pending): this row's totals
        plus, for a hot account, its shards' (read once, or annotated by `with_shards`)."""
        row = (self.debits_posted, self.credits_posted, self.debits_pending, self.credits_pending)
        if not self.hot:
            return row
        shards = getattr(self, "_shard_totals", None)
        if shards is None:
            summed = AccountShard.objects.filter(account_id=self.pk).aggregate(
                *(Sum(name) for name in TOTAL_FIELDS)
            )
            shards = tuple(value or 0 for value in summed.values())
            self._shard_totals = shards
        return (row[0] + shards[0], row[1] + shards[1], row[2] + shards[2], row[3] + shards[3])

    @property
    def balance(self) -> Money:
        """Posted balance on the account's normal side."""
        debits, credits, _debits_pending, _credits_pending = self.totals
        return Money(self._signed(debits, credits), self.currency)

    @property
    def available(self) -> Money:
        """Posted balance less what pending transfers already hold against it."""
        debits, credits, debits_pending, credits_pending = self.totals
        held = debits_pending if self.normal_side == NormalSide.CREDIT else credits_pending
        return Money(self._signed(debits, credits) - held, self.currency)


TOTAL_FIELDS = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")
# Shard rows each hot account has: concurrent postings each take a free one (docs/ledger.md).
HOT_SHARDS = 32


class AccountShard(models.Model):
    """A part of a hot account's totals. A posting adds its movements of the account to one
    shard that no other open transaction holds (PostgreSQL's SKIP LOCKED), so postings to the
    same hot account never wait for each other. A shard's figures may be anything (a hold may be
    released on another shard than the one it was added to); only their sum means something."""

    account = models.ForeignKey(LedgerAccount, on_delete=models.CASCADE, related_name="shards")
    number = models.PositiveSmallIntegerField()
    debits_posted = models.BigIntegerField(default=0)
    credits_posted = models.BigIntegerField(default=0)
    debits_pending = models.BigIntegerField(default=0)
    credits_pending = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "number"], name="account_shard_unique")
        ]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.number}"


class JournalEntry(models.Model):
    """One business event (a payment captured, a sub-order completed...), its transfers posted
    all together or not at all. `key` makes posting idempotent."""

    # Unique, without the `varchar_pattern_ops` twin index (migration 0013): keys are looked up
    # whole only. An AlterField of `key` would bring that index back: drop it again then.
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
        # Indexed only where set (Meta.indexes): NULL on all but the resolutions, so a full
        # index would take an entry for nearly every row posted.
        db_index=False,
    )
    reference_type = models.CharField(max_length=32, blank=True)
    reference_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        indexes = [
            models.Index(fields=["reference_type", "reference_id"]),
            models.Index(
                fields=["pending"],
                condition=Q(pending__isnull=False),
                name="ledger_transfer_pending_set",
            ),
        ]
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


# --- Payouts (docs/payouts.md) -----------------------------------------------------------------


class PayoutRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")


class PayoutRun(models.Model):
    """One payout run: a payout per shop whose balance is above the minimum, and for the bank
    payouts one ISO 20022 transfer file. `key` makes starting the same run again a no-op."""

    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    reference = models.CharField(_("reference"), max_length=35, unique=True)
    run_date = models.DateField(_("run date"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PayoutRunStatus.choices,
        default=PayoutRunStatus.RUNNING,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The pain.001 credit transfer file for the bank, private: operators download it.
    transfer_file = models.FileField(
        _("transfer file"),
        storage=private_storage,
        upload_to="payouts/%Y/%m/",
        max_length=200,
        blank=True,
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.reference


class PayoutStatus(models.TextChoices):
    CREATED = "created", _("Created")
    SENT = "sent", _("Sent")
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Returned")


_BY_ANYONE = frozenset({Actor.OPERATOR, Actor.SYSTEM})
# Every move a payout may make, and nothing else; anything not listed raises. An operator's
# run or status report moves it, or the system (the wallet's receipt, the scheduled run).
PAYOUT_TRANSITIONS: tuple[Transition, ...] = (
    transition(
        "send",
        {PayoutStatus.CREATED},
        PayoutStatus.SENT,
        _BY_ANYONE,
        _("Sent to the bank or wallet"),
    ),
    transition(
        "pay", {PayoutStatus.SENT}, PayoutStatus.PAID, _BY_ANYONE, _("Paid into the account")
    ),
    transition(
        "return",
        {PayoutStatus.SENT},
        PayoutStatus.RETURNED,
        _BY_ANYONE,
        _("Returned by the bank or wallet"),
    ),
)
# A payout in these statuses has left the shop's balance and has not arrived yet.
IN_TRANSIT_PAYOUT_STATUSES = frozenset({PayoutStatus.CREATED, PayoutStatus.SENT})


class PartnerPayee(models.Model):
    """Someone other than a shop whom payout runs pay: a partner bank, for what Souk withheld
    from artisans to repay its advances. `key` names it in the ledger (`bank:007`); the apps
    above keep its name and account here (`partners.set_payee`)."""

    key = models.CharField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("account holder"), max_length=70)
    iban = EncryptedTextField(_("IBAN"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner payee")
        verbose_name_plural = _("partner payees")

    def __str__(self) -> str:
        return self.key


class Payout(models.Model):
    """Money owed to one shop (or a partner payee), sent to its bank account or mobile wallet.

    The destination and the creditor's name are copied when the payout is created: a later
    change of RIB does not alter a payout already in the bank's hands."""

    run = models.ForeignKey(
        PayoutRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="payouts"
    )
    # The shop paid, or else the partner paid (exactly one of the two).
    shop = models.ForeignKey(
        "shops.Shop",
        verbose_name=_("shop"),
        on_delete=models.PROTECT,
        related_name="payouts",
        null=True,
        blank=True,
    )
    payee = models.ForeignKey(
        PartnerPayee,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="payouts",
        null=True,
        blank=True,
    )
    # "PO-" + run date + a short code: PO-20261130-7K3M9Q; the bank's end-to-end identifier.
    reference = models.CharField(_("reference"), max_length=35, unique=True)
    amount = models.BigIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="MAD")
    method = models.CharField(_("payout method"), max_length=8)
    # The IBAN (bank) or E.164 phone number (wallet) the money goes to; encrypted at rest like
    # the shop's RIB it is copied from (souk.core.fields).
    destination = EncryptedTextField(_("destination"))
    creditor_name = models.CharField(_("account holder"), max_length=70)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=PayoutStatus.choices,
        default=PayoutStatus.CREATED,
        db_index=True,
    )
    # The wallet provider's identifier of the transfer (empty for bank payouts).
    provider_reference = models.CharField(_("provider reference"), max_length=64, blank=True)
    # When a wallet payout was first handed to the provider (stamped and committed before the
    # call): a payout still "created" with this set may have been taken, so the provider is
    # asked about its reference before it is sent again (docs/payouts.md).
    send_attempted_at = models.DateTimeField(_("first sending attempt"), null=True, blank=True)
    # Why the latest attempt to send it failed (wallet unavailable...); cleared once sent.
    send_error = models.CharField(_("sending error"), max_length=255, blank=True)
    # The date the bank or wallet reported it paid or returned, and its reason for a return.
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    return_reason = models.CharField(_("reason for the return"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "shop"], name="payout_once_per_shop_and_run"),
            models.UniqueConstraint(fields=["run", "payee"], name="payout_once_per_payee_and_run"),
            models.CheckConstraint(
                condition=Q(shop__isnull=False, payee__isnull=True)
                | Q(shop__isnull=True, payee__isnull=False),
                name="payout_to_a_shop_or_a_payee",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=PayoutStatus.values), name="payout_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


class PayoutEvent(TransitionRecord):
    """One move of a payout (core.machine): who (None for the system), in which role, when,
    from, to and why."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="events")

    class Meta:
        ordering = ["at", "id"]


class SkipReason(models.TextChoices):
    NO_DESTINATION = "no_destination", _("No bank account or wallet given")
    SHOP_SUSPENDED = "shop_suspended", _("Shop suspended")
    BALANCE_CHANGED = "balance_changed", _("The balance changed during the run; next run")
    DESTINATION_HELD = "destination_held", _("New payout destination, held a few days")
    DOCUMENTS_MISSING = "papers_missing", _("ID documents not sent or not accepted yet")


class PayoutSkip(models.Model):
    """A shop that had enough to be paid in a run but was not, and why."""

    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="skips")
    shop = models.ForeignKey("shops.Shop", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=SkipReason.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="MAD")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "shop"], name="payout_skip_once_per_shop_and_run"
            )
        ]

    def __str__(self) -> str:
        return f"{self.run_id} {self.shop_id} {self.reason}"
