"""Back office: administrators add partner banks and their officers. Offers are looked up
here; they are approved on the review page, so that every move goes through the machine."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from souk.banking import advances, logos
from souk.banking.models import BankOfficer, Offer, PartnerBank
from souk.core.errors import DomainError
from souk.ledger import partners
from souk.ledger.payouts.iban import rib_to_iban


class BankOfficerInline(admin.TabularInline[BankOfficer, PartnerBank]):
    model = BankOfficer
    fields = ("user", "added_at")
    readonly_fields = ("added_at",)
    raw_id_fields = ("user",)
    extra = 0


class PartnerBankForm(forms.ModelForm[PartnerBank]):
    class Meta:
        model = PartnerBank
        fields = (
            "name",
            "bank_code",
            "settlement_rib",
            "contact_email",
            "contact_phone",
            "logo",
            "is_active",
            "created_at",
        )
        help_texts = {
            "logo": _("PNG, JPEG or WebP, at most 1 MB and 2000 pixels; shown small on the pages.")
        }
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"})
        }

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged, or cleared
        try:
            return logos.prepare_logo(logo)
        except DomainError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from error


@admin.register(PartnerBank)
class PartnerBankAdmin(admin.ModelAdmin[PartnerBank]):
    form = PartnerBankForm
    list_display = ("name", "bank_code", "contact_email", "is_active")
    search_fields = ("name", "bank_code")
    inlines = [BankOfficerInline]

    def save_model(self, request: Any, obj: PartnerBank, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # The payout runs pay the bank's advance repayments to this account from now on.
        if obj.settlement_rib:
            partners.set_payee(
                partner=advances.partner_key(obj),
                name=obj.name,
                iban=rib_to_iban(obj.settlement_rib),
            )


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin[Offer]):
    list_display = ("__str__", "bank", "kind", "status", "valid_from", "valid_until")
    list_filter = ("status", "kind", "bank")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
