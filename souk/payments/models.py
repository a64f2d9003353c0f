"""Payments: one intent per order, its attempts at the gateways, the callback inbox, refunds.

A PaymentIntent is what the order asks to be paid (its total, once); each gateway session is a
PaymentAttempt with its own gateway order id (CMI's `oid`), so a retry after a failure is a new
attempt, never a second intent. Every status change of an intent is a PaymentEvent. Callbacks
are stored in the GatewayCallback inbox under a unique key before they change anything, so a
repeated callback has one effect. Amounts are minor units (centimes) beside a currency.
See docs/payments.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core.machine import Actor, Transition, transition
from souk.core.models import TransitionRecord
from souk.orders.models import Order, SubOrder


class IntentStatus(models.TextChoices):
    REQUIRES_ACTION = "requires_action", _("Waiting for the buyer")
    PROCESSING = "processing", _("Processing")
    SUCCEEDED = "succeeded", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    PARTIALLY_REFUNDED = "partially_refunded", _("Partially refunded")
    REFUNDED = "refunded", _("Refunded")


I = IntentStatus  # noqa: E741  # a short alias for the table below, deleted after it

B, S = Actor.BUYER, Actor.SYSTEM
# Every move an intent may make, and nothing else. A paid intent never goes back to unpaid:
# from SUCCEEDED the only moves are refunds. The buyer starts and acts on attempts; the rest is
# the platform's (a processor's callback, the carrier's remittance, a refund's answer).
INTENT_TRANSITIONS: tuple[Transition, ...] = (
    # A new attempt (first one, or a retry after a failure) waits for the buyer.
    transition(
        "start_attempt",
        {I.REQUIRES_ACTION, I.PROCESSING, I.FAILED, I.CANCELLED},
        I.REQUIRES_ACTION,
        {B},
    ),
    # The buyer acted (wallet push sent, cash on delivery confirmed): the gateway decides.
    transition("process", {I.REQUIRES_ACTION, I.FAILED}, I.PROCESSING, {B}),
    # A success may come after failures, or late for a cancelled order.
    transition(
        "succeed",
        {I.REQUIRES_ACTION, I.PROCESSING, I.FAILED, I.CANCELLED},
        I.SUCCEEDED,
        {S},
    ),
    transition("fail", {I.REQUIRES_ACTION, I.PROCESSING}, I.FAILED, {S}),
    transition("cancel", {I.REQUIRES_ACTION, I.PROCESSING, I.FAILED}, I.CANCELLED, {S}),
    transition("refund_partially", {I.SUCCEEDED, I.PARTIALLY_REFUNDED}, I.PARTIALLY_REFUNDED, {S}),
    transition("refund", {I.SUCCEEDED, I.PARTIALLY_REFUNDED}, I.REFUNDED, {S}),
)
del I, B, S

# The intent's money was received (refunds only from here on).
PAID_INTENT_STATUSES = frozenset(
    {IntentStatus.SUCCEEDED, IntentStatus.PARTIALLY_REFUNDED, IntentStatus.REFUNDED}
)


class PaymentIntent(models.Model):
    """What one order asks to be paid: its total, in its currency, by its method, once."""

    order = models.OneToOneField(
        Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="payment_intent"
    )
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    method = models.CharField(_("method"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=IntentStatus.choices,
        default=IntentStatus.REQUIRES_ACTION,
        db_index=True,
    )
    refunded_amount = models.BigIntegerField(_("refunded (minor units)"), default=0)
    # When the order service was told of the success (record_payment). Null on a paid intent
    # means the telling is still due: complete_unrecorded_payments finishes it.
    order_recorded_at = models.DateTimeField(_("order told at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("payment intent")
        verbose_name_plural = _("payment intents")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=IntentStatus.values), name="payment_intent_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="payment_intent_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0, refunded_amount__lte=models.F("amount")),
                name="payment_intent_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"payment of order {self.order_id} ({self.status})"


class AttemptStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the gateway")
    PROCESSING = "processing", _("Sent to the buyer's wallet")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    # Approved by the gateway after another attempt already paid the order: not captured, so
    # the buyer is never charged twice (the pre-authorisation lapses).
    NOT_CAPTURED = "not_captured", _("Approved but not captured (order already paid)")


OPEN_ATTEMPT_STATUSES = frozenset({AttemptStatus.PENDING, AttemptStatus.PROCESSING})


class PaymentAttempt(models.Model):
    """One session at a gateway for an intent; its gateway order id is never reused."""

    intent = models.ForeignKey(PaymentIntent, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveIntegerField(_("number"))
    gateway = models.CharField(_("gateway"), max_length=16)
    # CMI's `oid` (order reference, dash, attempt number): unique per attempt, as CMI requires.
    gateway_order_id = models.CharField(_("gateway order id"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=AttemptStatus.choices, default=AttemptStatus.PENDING
    )
    transaction_id = models.CharField(_("transaction id"), max_length=64, blank=True)
    authorization_code = models.CharField(_("authorisation code"), max_length=16, blank=True)
    host_reference = models.CharField(_("bank reference"), max_length=32, blank=True)
    # Only ever the masked number the gateway sends (400000***0010), never a full card number.
    masked_pan = models.CharField(_("masked card number"), max_length=24, blank=True)
    error_code = models.CharField(_("error code"), max_length=16, blank=True)
    error_message = models.CharField(_("error message"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment attempt")
        verbose_name_plural = _("payment attempts")
        ordering = ["intent_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["intent", "number"], name="payment_attempt_number"),
            models.CheckConstraint(
                condition=Q(status__in=AttemptStatus.values), name="payment_attempt_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gateway_order_id} ({self.status})"


class PaymentEvent(TransitionRecord):
    """One status change of an intent (core.machine), the attempt that caused it and a note
    for operators (the processor's transaction id...). Callbacks act as the system: no user."""

    intent = models.ForeignKey(PaymentIntent, on_delete=models.CASCADE, related_name="events")
    attempt = models.ForeignKey(
        PaymentAttempt, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]


class CallbackStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLED = "handled", _("Handled")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed, to look at")


class GatewayCallback(models.Model):
    """The inbox: every server-to-server callback as posted, stored once under its key."""

    gateway = models.CharField(_("gateway"), max_length=16)
    idempotency_key = models.CharField(_("idempotency key"), max_length=128)
    # Field names and values as posted; gateways never post a full card number.
    payload = models.JSONField(_("payload"))
    is_signature_valid = models.BooleanField(_("signature valid"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CallbackStatus.choices,
        default=CallbackStatus.RECEIVED,
        db_index=True,
    )
    # What we answered: a repeated callback gets the same answer.
    reply = models.CharField(_("reply"), max_length=32, blank=True)
    error = models.TextField(_("error"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("gateway callback")
        verbose_name_plural = _("gateway callbacks")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["gateway", "idempotency_key"], name="gateway_callback_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gateway} callback {self.pk} ({self.status})"


class RefundMethod(models.TextChoices):
    GATEWAY = "gateway", _("Through the gateway")
    # Cash on delivery (or no gateway payment to reverse): an operator pays by bank transfer.
    MANUAL = "manual", _("By bank transfer (operator)")


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    SENDING = "sending", _("Sent to the gateway")
    SUCCEEDED = "succeeded", _("Refunded")
    FAILED = "failed", _("Failed, to look at")


class Refund(models.Model):
    """Money given back to the buyer for one sub-order (or a whole late payment), once."""

    intent = models.ForeignKey(PaymentIntent, on_delete=models.PROTECT, related_name="refunds")
    # The parcel refunded; blank for the refund of a whole payment that came too late.
    sub_order_reference = models.CharField(_("sub-order"), max_length=20, blank=True)
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    method = models.CharField(_("method"), max_length=8, choices=RefundMethod.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RefundStatus.choices,
        default=RefundStatus.REQUESTED,
        db_index=True,
    )
    gateway_reference = models.CharField(_("gateway reference"), max_length=64, blank=True)
    error_message = models.CharField(_("error message"), max_length=255, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=RefundStatus.values), name="refund_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return f"refund {self.idempotency_key} ({self.status})"


class SettlementImport(models.Model):
    """One processor settlement file read by reconcile_settlement, with what it found."""

    file_name = models.CharField(_("file name"), max_length=255)
    settlement_date = models.DateField(_("settlement date"), db_index=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    line_count = models.PositiveIntegerField(_("lines read"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    missing_in_souk_count = models.PositiveIntegerField(_("missing in Souk"), default=0)
    missing_in_file_count = models.PositiveIntegerField(_("missing in the file"), default=0)
    amount_mismatch_count = models.PositiveIntegerField(_("amount mismatches"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected_count = models.PositiveIntegerField(_("unreadable lines"), default=0)

    class Meta:
        verbose_name = _("settlement import")
        verbose_name_plural = _("settlement imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.settlement_date})"


class SettlementLineKind(models.TextChoices):
    MATCHED = "matched", _("Matched")
    MISSING_IN_SOUK = "missing_in_souk", _("Missing in Souk")
    MISSING_IN_FILE = "missing_in_file", _("Missing in the file")
    AMOUNT_MISMATCH = "amount_mismatch", _("Amount mismatch")
    DUPLICATE = "duplicate", _("Duplicate")


class SettlementLine(models.Model):
    """One result of a reconciliation: a file line and what Souk holds for it (or the reverse)."""

    settlement_import = models.ForeignKey(
        SettlementImport,
        verbose_name=_("settlement import"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    kind = models.CharField(
        _("result"), max_length=16, choices=SettlementLineKind.choices, db_index=True
    )
    # The line of the file (header = 1); empty for what Souk holds and the file lacks.
    line_number = models.PositiveIntegerField(_("line"), null=True, blank=True)
    transaction_type = models.CharField(_("type"), max_length=8)
    gateway_order_id = models.CharField(_("gateway order id"), max_length=64, blank=True)
    transaction_id = models.CharField(_("transaction id"), max_length=64, blank=True)
    file_amount = models.BigIntegerField(_("amount in the file (minor units)"), null=True)
    souk_amount = models.BigIntegerField(_("amount in Souk (minor units)"), null=True)
    fee_amount = models.BigIntegerField(_("fee (minor units)"), null=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    attempt = models.ForeignKey(
        PaymentAttempt,
        verbose_name=_("payment attempt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlement_lines",
    )
    refund = models.ForeignKey(
        Refund,
        verbose_name=_("refund"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="settlement_lines",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        # The file's lines in order, then what Souk holds and the file lacks.
        ordering = [
            "settlement_import_id",
            models.F("line_number").asc(nulls_last=True),
            "id",
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SettlementLineKind.values),
                name="settlement_line_kind_is_known",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.gateway_order_id or self.transaction_id}"


class CodRemittance(models.Model):
    """Cash a carrier collected on delivery for one sub-order and paid over to Souk, once."""

    remittance_id = models.CharField(_("remittance id"), max_length=64)
    remittance_date = models.DateField(_("remittance date"))
    carrier = models.CharField(_("carrier"), max_length=60)
    sub_order = models.ForeignKey(
        SubOrder, verbose_name=_("sub-order"), on_delete=models.PROTECT, related_name="+"
    )
    intent = models.ForeignKey(
        PaymentIntent, on_delete=models.PROTECT, related_name="cod_remittances"
    )
    collected_amount = models.BigIntegerField(_("collected (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    line_number = models.PositiveIntegerField(_("line"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("cash-on-delivery remittance")
        verbose_name_plural = _("cash-on-delivery remittances")
        ordering = ["-remittance_date", "-id"]
        constraints = [
            # A parcel's cash is remitted once, whatever remittance carries it: importing the
            # same file again (same remittance id and parcel) writes nothing new.
            models.UniqueConstraint(fields=["sub_order"], name="cod_remittance_one_per_sub_order"),
            models.CheckConstraint(
                condition=Q(collected_amount__gt=0), name="cod_remittance_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"remittance {self.remittance_id} for sub-order {self.sub_order_id}"


class RefundApprovalStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ParcelRefundAction(models.TextChoices):
    # The moderator's parcel actions that give money back (refund_approvals.ask_parcel_action).
    FORCE_REFUND = "force_refund", _("Refund the buyer")
    RECEIVE_RETURN = "receive_return", _("Returned item received")


class RefundApproval(models.Model):
    """A refund above SOUK_REFUND_APPROVAL_ABOVE asked by one person, sent only once another
    person with the refund permission approves it (four eyes, docs/payments.md): a partial
    refund of the order, or a moderator's parcel action giving back what is left of a parcel
    (sub_order, action, and the parcel's status when asked, checked again on approval)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refund_approvals")
    sub_order = models.ForeignKey(
        SubOrder, on_delete=models.PROTECT, related_name="refund_approvals", null=True, blank=True
    )
    action = models.CharField(
        _("action"), max_length=20, choices=ParcelRefundAction.choices, blank=True, default=""
    )
    parcel_status = models.CharField(_("parcel status when asked"), max_length=20, blank=True)
    amount = models.BigIntegerField(_("amount (minor units)"))
    currency = models.CharField(_("currency"), max_length=3)
    reason = models.TextField(_("reason"))
    # The refund's idempotency key, used again for the Refund once approved.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RefundApprovalStatus.choices,
        default=RefundApprovalStatus.AWAITING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refund = models.OneToOneField(
        Refund, on_delete=models.PROTECT, related_name="approval", null=True, blank=True
    )

    class Meta:
        verbose_name = _("refund awaiting approval")
        verbose_name_plural = _("refunds awaiting approval")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="refund_approval_amount_positive"
            ),
            # The four eyes: whoever decides is not whoever asked.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("requested_by")),
                name="refund_approval_decided_by_another",
            ),
            # A parcel action names its parcel, a partial refund neither.
            models.CheckConstraint(
                condition=(Q(sub_order__isnull=True) & Q(action=""))
                | (Q(sub_order__isnull=False) & ~Q(action="")),
                name="refund_approval_parcel_has_action",
            ),
            # One parcel action awaiting approval at a time per parcel.
            models.UniqueConstraint(
                fields=["sub_order"],
                condition=Q(status="awaiting", sub_order__isnull=False),
                name="refund_approval_one_awaiting_per_parcel",
            ),
        ]

    def __str__(self) -> str:
        return f"refund approval {self.idempotency_key} ({self.status})"
