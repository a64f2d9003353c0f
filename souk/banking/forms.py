"""Forms of the banking pages: an offer as an officer writes it, an administrator's decision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from souk.banking.models import Offer
from souk.core.translation import pick_translation
from souk.registry.models import Region, Sector

# Amounts are typed in dirhams and kept in minor units (centimes).
MONEY_FIELDS = (
    "opening_fee_amount",
    "monthly_fee_amount",
    "max_amount",
    "total_cost_amount",
    "flat_fee_amount",
    "min_sales_12m_amount",
)


def _named(model: type[Sector] | type[Region]) -> list[tuple[str, str]]:
    return [(row.code, pick_translation(row, "name")[0]) for row in model.objects.order_by("code")]


class OfferForm(forms.ModelForm[Offer]):
    sector_codes = forms.MultipleChoiceField(
        label=_("Sectors (none: all)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    region_codes = forms.MultipleChoiceField(
        label=_("Regions (none: all)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Offer
        fields = (
            "kind",
            "title_ar",
            "title_fr",
            "title_en",
            "title_es",
            "description_ar",
            "description_fr",
            "description_en",
            "description_es",
            "valid_from",
            "valid_until",
            "annual_rate_percent",
            "withheld_percent",
            "min_months_selling",
            "min_orders_12m",
            "max_refund_rate_percent",
            "legal_form",
            "requires_active_register_entry",
            "requires_payout_destination",
        )
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "description_ar": forms.Textarea(attrs={"dir": "rtl", "lang": "ar", "rows": 4}),
            "description_fr": forms.Textarea(attrs={"lang": "fr", "rows": 4}),
            "description_en": forms.Textarea(attrs={"lang": "en", "rows": 4}),
            "description_es": forms.Textarea(attrs={"lang": "es", "rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "opening_fee_amount": _("Opening fee (MAD)"),
            "monthly_fee_amount": _("Monthly fee (MAD)"),
            "max_amount": _("Largest amount (MAD)"),
            "total_cost_amount": _("Total cost of credit (MAD)"),
            "flat_fee_amount": _("Flat fee of the advance (MAD)"),
            "min_sales_12m_amount": _("Least sales over the last 12 months (MAD)"),
        }
        for name in MONEY_FIELDS:
            self.fields[name] = forms.DecimalField(
                label=labels[name], required=False, min_value=0, decimal_places=2, max_digits=12
            )
            stored = getattr(self.instance, name, None)
            if stored is not None:
                self.initial[name] = Decimal(stored) / 100
        cast(forms.MultipleChoiceField, self.fields["sector_codes"]).choices = _named(Sector)
        cast(forms.MultipleChoiceField, self.fields["region_codes"]).choices = _named(Region)
        if self.instance.pk:
            self.initial["sector_codes"] = self.instance.sector_codes
            self.initial["region_codes"] = self.instance.region_codes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end of validity comes before its start."))
        if not any(cleaned.get(f"title_{code}") for code in ("ar", "fr", "en", "es")):
            self.add_error("title_fr", _("Give the offer a title in at least one language."))
        return cleaned

    def offer_values(self) -> dict[str, Any]:
        """The cleaned values as the services take them (amounts in minor units)."""
        values = dict(self.cleaned_data)
        for name in MONEY_FIELDS:
            amount = values.get(name)
            values[name] = None if amount is None else int(amount * 100)
        values["sector_codes"] = list(values.get("sector_codes") or [])
        values["region_codes"] = list(values.get("region_codes") or [])
        return values


class RefuseOfferForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the offer is refused"), widget=forms.Textarea(attrs={"rows": 3})
    )


MONTH_FORMATS = ["%Y-%m"]


class AttestationForm(forms.Form):
    first_month = forms.DateField(
        label=_("From (month)"),
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    last_month = forms.DateField(
        label=_("To (month)"),
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first_month"), cleaned.get("last_month")
        if first and last:
            if last < first:
                self.add_error("last_month", _("The period ends before it starts."))
            elif (last.year - first.year) * 12 + last.month - first.month >= 36:
                self.add_error("last_month", _("An attestation covers 36 months at most."))
        return cleaned


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=16, required=False)
    file = forms.FileField(label=_("Or the attestation file (PDF)"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("code") and not cleaned.get("file"):
            raise forms.ValidationError(_("Give the code or the file."))
        upload = cleaned.get("file")
        if upload is not None and upload.size > 5 * 1024 * 1024:
            self.add_error("file", _("The file is larger than 5 MB."))
        return cleaned


class RepayForm(forms.Form):
    """The artisan repays an advance early: an amount in dirhams."""

    amount = forms.DecimalField(
        label=_("Amount to repay now (MAD)"),
        min_value=Decimal("0.01"),
        decimal_places=2,
        max_digits=12,
    )
    confirm = forms.BooleanField(
        label=_("I confirm: take this amount from my available balance and pay it to the bank.")
    )

    def amount_minor(self) -> int:
        return int(self.cleaned_data["amount"] * 100)


class SettleForm(forms.Form):
    """The bank's officer records what was settled with it outside Souk."""

    OUTCOMES = (
        ("repaid", _("Repaid to us directly")),
        ("written_off", _("Written off")),
    )
    outcome = forms.ChoiceField(
        label=_("What happened"), choices=OUTCOMES, widget=forms.RadioSelect
    )
    amount = forms.DecimalField(
        label=_("Amount (MAD); empty: all that remains"),
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        max_digits=12,
    )
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def amount_minor(self) -> int | None:
        amount = self.cleaned_data.get("amount")
        return None if amount is None else int(amount * 100)

    def reason(self) -> str:
        note = self.cleaned_data.get("note", "").strip()
        return f"{self.cleaned_data['outcome']}: {note}" if note else self.cleaned_data["outcome"]
