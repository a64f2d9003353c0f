"""Partner banks, their officers and offers; the artisan's monthly figures kept from the
ledger; the eligibility of each shop for the offers (docs/banking.md).

Offer terms and eligibility rules are numbers and lists, not text: the page shows them plainly
and `eligibility.evaluate` reads the same fields the bank wrote.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core.translation import pick_translation
from souk.shops.models import Shop

# Moroccan bank codes are the RIB's first three digits (../shared/reference/morocco.md §4.1).
bank_code_validator = RegexValidator(r"^\d{3}$", _("A bank code is three digits."))


class PartnerBank(models.Model):
    name = models.CharField(_("name"), max_length=120)
    bank_code = models.CharField(
        _("bank code"), max_length=3, unique=True, validators=[bank_code_validator]
    )
    # The bank's own account, where Souk pays what it withheld for the bank's advances (a
    # 24-digit RIB; its IBAN goes into the payout run's transfer file).
    settlement_rib = models.CharField(
        _("settlement RIB"),
        max_length=24,
        blank=True,
        validators=[RegexValidator(r"^\d{24}$", _("A RIB is 24 digits."))],
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    logo = models.ImageField(_("logo"), upload_to="banks/", blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner bank")
        verbose_name_plural = _("partner banks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.bank_code})"


class BankOfficer(models.Model):
    """A person working for one partner bank: sees and writes that bank's offers only."""

    bank = models.ForeignKey(PartnerBank, on_delete=models.CASCADE, related_name="officers")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_officer"
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("bank officer")
        verbose_name_plural = _("bank officers")

    def __str__(self) -> str:
        return f"{self.user} @ {self.bank.name}"


class OfferKind(models.TextChoices):
    ACCOUNT = "account", _("Account package")
    CARD = "card", _("Payment card")
    MICRO_CREDIT = "micro_credit", _("Micro-credit")
    ADVANCE = "advance", _("Revenue-based advance")
    SAVINGS = "savings", _("Savings")
    INSURANCE = "insurance", _("Insurance or social cover")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


EDITABLE_OFFER_STATUSES = frozenset({OfferStatus.DRAFT, OfferStatus.REFUSED})


class LegalForm(models.TextChoices):
    ANY = "", _("Any")
    INDIVIDUAL = "individual", _("Individual artisan")
    COOPERATIVE = "cooperative", _("Cooperative or company")


class Offer(models.Model):
    bank = models.ForeignKey(PartnerBank, on_delete=models.PROTECT, related_name="offers")
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    title_ar = models.CharField(_("title (Arabic)"), max_length=140, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=140, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=140, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=140, blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    # Terms, in MAD minor units and percent; empty when they do not apply to the kind.
    opening_fee_amount = models.BigIntegerField(_("opening fee"), null=True, blank=True)
    monthly_fee_amount = models.BigIntegerField(_("monthly fee"), null=True, blank=True)
    max_amount = models.BigIntegerField(_("largest amount"), null=True, blank=True)
    annual_rate_percent = models.DecimalField(
        _("annual percentage rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    total_cost_amount = models.BigIntegerField(_("total cost of credit"), null=True, blank=True)
    flat_fee_amount = models.BigIntegerField(_("flat fee of the advance"), null=True, blank=True)
    withheld_percent = models.DecimalField(
        _("share withheld from each payout (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # Eligibility rules: empty (None, [], "") means the rule does not apply.
    min_months_selling = models.PositiveSmallIntegerField(
        _("months with sales (of the last 24)"), null=True, blank=True
    )
    min_sales_12m_amount = models.BigIntegerField(
        _("sales over the last 12 months"), null=True, blank=True
    )
    min_orders_12m = models.PositiveIntegerField(
        _("orders over the last 12 months"), null=True, blank=True
    )
    max_refund_rate_percent = models.DecimalField(
        _("largest refund rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    sector_codes = models.JSONField(_("sectors"), default=list, blank=True)
    region_codes = models.JSONField(_("regions"), default=list, blank=True)
    legal_form = models.CharField(
        _("cooperative or individual"), max_length=12, choices=LegalForm.choices, blank=True
    )
    requires_active_register_entry = models.BooleanField(
        _("register entry must be active"), default=False
    )
    requires_payout_destination = models.BooleanField(
        _("payout account must be set and settled"), default=False
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.DRAFT
    )
    status_reason = models.TextField(_("reason given"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank offer")
        verbose_name_plural = _("bank offers")
        ordering = ["-created_at", "-id"]
        permissions = [("approve_offer", "Can approve bank offers")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="offer_status_is_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick_translation(self, "title")[0]

    @property
    def description(self) -> str:
        return pick_translation(self, "description")[0]

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_OFFER_STATUSES


class MonthlyFigures(models.Model):
    """One shop's money in one calendar month, as the ledger posted it (amounts in MAD minor
    units). Kept by `rollups.record_entry` in the posting's own transaction; rebuildable by
    `rebuild_banking_rollups`."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    sales_amount = models.BigIntegerField(default=0)
    orders_count = models.IntegerField(default=0)
    abroad_sales_amount = models.BigIntegerField(default=0)
    refunds_amount = models.BigIntegerField(default=0)
    commission_amount = models.BigIntegerField(default=0)
    payouts_amount = models.BigIntegerField(default=0)
    payouts_count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shop", "month"], name="monthly_figures_once"),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.month:%Y-%m}"


class MonthlyCountrySales(models.Model):
    """A shop's sales in one month to buyers of one country (where the parcel went)."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    country = models.CharField(max_length=2)
    sales_amount = models.BigIntegerField(default=0)
    orders_count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "month", "country"], name="monthly_country_sales_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} {self.month:%Y-%m} {self.country}"


class ShopEligibility(models.Model):
    """The verdicts of the last evaluation of the published offers for one shop, in one row:
    `verdicts_json` maps each offer's id (as text) to what is missing as (rule, values) data
    that `eligibility.describe` turns into sentences, an empty list where the shop qualifies;
    it is JSON text as the batch encoded it once (also for its digest), not a JSON column that
    would encode it again. `digest` names it, so the batch writes only the rows that changed."""

    shop = models.OneToOneField(Shop, on_delete=models.CASCADE, primary_key=True, related_name="+")
    verdicts_json = models.TextField(default="{}")
    digest = models.CharField(max_length=32)
    changed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.shop_id} {self.digest}"

    @property
    def verdicts(self) -> dict[str, list[dict[str, object]]]:
        decoded: dict[str, list[dict[str, object]]] = json.loads(self.verdicts_json)
        return decoded


class SalesAttestation(models.Model):
    """An attestation of a shop's sales over a period, issued as a signed PDF. The figures and
    identity are frozen here as attested; `file_sha256` names the exact file issued (the PDF
    before its signature line), so an uploaded copy is found and any change to it shows."""

    code = models.CharField(_("verification code"), max_length=16, unique=True)
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="+")
    first_month = models.DateField(_("from"))
    last_month = models.DateField(_("to"))
    language = models.CharField(_("language"), max_length=5)
    identity = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("sales attestation")
        verbose_name_plural = _("sales attestations")

    def __str__(self) -> str:
        return self.code


# Applications and consent live in their own module; imported here so Django finds them.
from souk.banking.application_models import (  # noqa: E402, F401
    Application,
    ApplicationMessage,
    DataView,
)


class AdvanceStatus(models.TextChoices):
    REPAYING = "repaying", _("Being repaid")
    REPAID = "repaid", _("Repaid")
    # The bank settled the rest without Souk (repaid to it directly, or written off).
    SETTLED = "settled", _("Settled with the bank")


class Advance(models.Model):
    """A revenue-based advance a partner bank funded to a shop: from then on Souk withholds
    `share_percent` of every amount released from escrow to the shop until principal + fee is
    repaid (`advances.py`; the money is in the ledger under the claim `reference`)."""

    reference = models.CharField(_("reference"), max_length=20, unique=True)
    bank = models.ForeignKey(PartnerBank, on_delete=models.PROTECT, related_name="advances")
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, related_name="+")
    # The application it answers (consent and applications, issue #18), when there is one.
    application_id = models.BigIntegerField(_("application"), null=True, blank=True)
    principal_amount = models.BigIntegerField(_("principal"))
    fee_amount = models.BigIntegerField(_("flat fee"))
    share_percent = models.DecimalField(
        _("share withheld (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=AdvanceStatus.choices, default=AdvanceStatus.REPAYING
    )
    funded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    funded_at = models.DateTimeField(_("funded at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("advance")
        verbose_name_plural = _("advances")
        ordering = ["-funded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shop"],
                condition=Q(status="repaying"),
                name="advance_one_repaying_per_shop",
            ),
            models.CheckConstraint(
                condition=Q(principal_amount__gt=0) & Q(fee_amount__gte=0),
                name="advance_amounts_positive",
            ),
            models.CheckConstraint(
                condition=Q(share_percent__gt=0) & Q(share_percent__lte=100),
                name="advance_share_is_a_percent",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def total_amount(self) -> int:
        return self.principal_amount + self.fee_amount
