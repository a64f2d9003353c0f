"""An artisan's application to a bank's offer and the consent that goes with it
(docs/banking.md "Consent and applications").

The consent names the lines shared (`ShareLine`), for how long, and freezes what they said at
that moment in `snapshot` (encrypted at rest, JSON): the officer reads that snapshot, never the
live figures, and nothing of it once the consent is withdrawn or expired. Every reading by an
officer is a `DataView` the artisan sees. Imported by `models` so Django finds the tables; it
names the models of `models` by label so that the import goes one way.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core.fields import EncryptedTextField
from souk.shops.models import Shop

DEFAULT_CONSENT_DAYS = 90
MAX_CONSENT_DAYS = 365


class ShareLine(models.TextChoices):
    """What an artisan may share with a bank, one line each."""

    FIGURES = "figures", _("Sales figures (24 months, as on your money page)")
    ATTESTATION = "attestation", _("A signed sales attestation (last 12 months)")
    IDENTITY = "identity", _("Identity and register data (name, CIN, register entry)")
    RIB = "rib", _("Bank account number (RIB)")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    INFO_REQUESTED = "info_requested", _("Information requested")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FUNDED = "funded", _("Funded")


# Still before the bank's last word: the artisan may withdraw, both may write.
OPEN_STATUSES = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.INFO_REQUESTED,
        ApplicationStatus.APPROVED,
    }
)


class Application(models.Model):
    offer = models.ForeignKey(
        "banking.Offer", on_delete=models.PROTECT, related_name="applications"
    )
    # The offer's bank, kept on the row: every officer query filters on it.
    bank = models.ForeignKey(
        "banking.PartnerBank", on_delete=models.PROTECT, related_name="applications"
    )
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # MAD minor units; for credit and advances only.
    amount_requested = models.BigIntegerField(_("amount asked for"), null=True, blank=True)
    amount_funded = models.BigIntegerField(_("amount funded"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    status_reason = models.TextField(_("reason given"), blank=True)
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    funded_at = models.DateTimeField(_("funded at"), null=True, blank=True)
    # The consent: lines shared (ShareLine values), from when, until when, withdrawn when.
    shared_lines = models.JSONField(_("shared with the bank"), default=list)
    consent_given_at = models.DateTimeField(_("consent given at"), default=timezone.now)
    consent_expires_at = models.DateTimeField(_("consent ends at"))
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    # JSON of the shared lines as they were at consent; "" once the consent was withdrawn.
    snapshot_text = EncryptedTextField(blank=True)
    attestation = models.ForeignKey(
        "banking.SalesAttestation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bank application")
        verbose_name_plural = _("bank applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="application_status_is_known",
            ),
        ]
        indexes = [models.Index(fields=["bank", "status"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"

    @property
    def snapshot(self) -> dict[str, Any]:
        return json.loads(self.snapshot_text) if self.snapshot_text else {}

    def consent_is_active(self, now: Any = None) -> bool:
        """Whether the officer may read the shared lines now."""
        moment = now or timezone.now()
        return self.consent_withdrawn_at is None and self.consent_expires_at > moment

    @property
    def consent_state(self) -> str:
        """ "active", "withdrawn" or "expired": what the officer is told."""
        if self.consent_withdrawn_at is not None:
            return "withdrawn"
        return "active" if self.consent_is_active() else "expired"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DataView(models.Model):
    """One reading of a shared line by an officer, shown to the artisan."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="views")
    line = models.CharField(max_length=16, choices=ShareLine.choices)
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-viewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.line} {self.viewed_at:%Y-%m-%d}"


class MessageSide(models.TextChoices):
    ARTISAN = "artisan", _("Artisan")
    BANK = "bank", _("Bank")


class ApplicationMessage(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=8, choices=MessageSide.choices)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.side} {self.sent_at:%Y-%m-%d}"
