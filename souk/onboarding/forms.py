"""Forms of the artisan's path. They parse and say what is wrong beside the field; the services
decide. Every field asks for as little typing as a phone allows (inputmode, autocomplete)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib.auth import password_validation
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.accounts.phones import normalize_phone
from souk.catalog.forms import check_hs_code, set_material_choices
from souk.catalog.models import PRODUCT_LANGUAGES
from souk.catalog.services import ProductDetails
from souk.core.money import Money
from souk.registry.models import Trade, WeightClass
from souk.shops.forms import NamedChoiceField
from souk.shops.models import Shop

_LTR_CODE = {"dir": "ltr", "autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
# A typical weight for a trade's weight class (registry.WeightClass), to start from.
TYPICAL_GRAMS = {
    WeightClass.LIGHT: 500,
    WeightClass.MEDIUM: 2_000,
    WeightClass.HEAVY: 8_000,
    WeightClass.BULKY: 25_000,
}
_MM_PER_CM = 10


class ClaimFields(forms.Form):
    register_number = forms.CharField(
        label=_("Register number"),
        max_length=64,
        help_text=_("As printed on your artisan card or your registration certificate."),
        widget=forms.TextInput(attrs=_LTR_CODE),
    )
    cin = forms.CharField(
        label=_("National ID number (CIN)"),
        max_length=16,
        widget=forms.TextInput(attrs=_LTR_CODE),
    )


class ArtisanSignUpForm(ClaimFields):
    """Phone, password, register number and CIN: the whole sign-up on one screen."""

    phone = forms.CharField(
        label=_("Phone number"),
        help_text=_("We text you a code to check it."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr", "type": "tel"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("8 characters or more, not only digits."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["phone", "password", "register_number", "cin"]

    def __init__(self, *args: Any, password_kept: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A valid password typed before an error elsewhere is kept (as a hash, in the session:
        # views.start); the field may then be left empty.
        self.password_kept = False
        if password_kept:
            self.mark_password_kept()

    def mark_password_kept(self) -> None:
        """The password is kept: the field may stay empty, and its note says so."""
        self.password_kept = True
        self.fields["password"].required = False
        note = _("Your password is kept. Leave this empty to keep it, or type a new one.")
        self.fields["password"].help_text = note
        # A bound field copies its help text when made (validation made it already).
        self["password"].help_text = note

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data["phone"])
        if User.objects.filter(phone=phone).exists():
            raise forms.ValidationError(
                _("An account already uses this phone number. Log in to continue.")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            try:
                password_validation.validate_password(
                    password, User(phone=cleaned.get("phone"), full_name="")
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code received by SMS"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "dir": "ltr",
                "pattern": "[0-9 ]*",
            }
        ),
    )


def _cm_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal(10000),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )


class FirstPieceForm(forms.Form):
    """A photo, a title and a price in the person's language, stock or made to order; the rest
    prefilled from the register entry's trade, inside a closed section."""

    photo = forms.FileField(
        label=_("Photo of the piece"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    title = forms.CharField(label=_("What is it?"), max_length=140)
    price = forms.DecimalField(
        label=_("Price (MAD)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(10_000_000),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )
    availability = forms.ChoiceField(
        label=_("Ready or made to order?"),
        choices=[("stock", _("Ready, in stock")), ("made_to_order", _("Made to order"))],
        initial="stock",
        widget=forms.RadioSelect,
    )
    stock_quantity = forms.IntegerField(
        label=_("Pieces in stock"),
        min_value=1,
        max_value=100_000,
        initial=1,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    lead_time_days = forms.IntegerField(
        label=_("Days to make it"),
        min_value=1,
        max_value=365,
        initial=14,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    # Ticked, not typed: the same words on every language's page and in search.
    material_codes = forms.MultipleChoiceField(
        label=_("What is it made of?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    trade = NamedChoiceField(label=_("Trade"), queryset=Trade.objects.none())
    hs_code = forms.CharField(
        label=_("HS code (customs)"), max_length=7, widget=forms.TextInput(attrs=_LTR_CODE)
    )
    weight_grams = forms.IntegerField(
        label=_("Weight (g)"),
        min_value=1,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    length_cm = _cm_field(_("Length (cm)"))
    width_cm = _cm_field(_("Width (cm)"))
    height_cm = _cm_field(_("Height (cm)"))

    DETAIL_FIELDS = ("trade", "hs_code", "weight_grams", "length_cm", "width_cm", "height_cm")
    KEPT_FIELDS = (
        "title",
        "price",
        "availability",
        "stock_quantity",
        "lead_time_days",
        *DETAIL_FIELDS,
    )

    def __init__(self, *args: Any, shop: Shop, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shop = shop
        self.language = language if language in PRODUCT_LANGUAGES else "fr"
        trade_field = cast(NamedChoiceField, self.fields["trade"])
        trade_field.queryset = Trade.objects.filter(
            sector_id=shop.register_entry.trade.sector_id, sells_goods=True, is_active=True
        ).order_by("code")
        set_material_choices(
            cast(forms.MultipleChoiceField, self.fields["material_codes"]),
            trade=shop.register_entry.trade,
        )
        kept_materials = self.initial.get("material_codes")
        if isinstance(kept_materials, str):  # as a draft keeps them (typed_values)
            self.initial["material_codes"] = [code for code in kept_materials.split(",") if code]

    @staticmethod
    def initial_for(shop: Shop) -> dict[str, Any]:
        """What the register entry's trade says about a typical piece."""
        trade = shop.register_entry.trade
        if not trade.sells_goods:
            return {"availability": "stock", "stock_quantity": 1, "lead_time_days": 14}
        return {
            "availability": "stock",
            "stock_quantity": 1,
            "lead_time_days": 14,
            "trade": trade.pk,
            "hs_code": trade.default_hs_code,
            "weight_grams": TYPICAL_GRAMS.get(WeightClass(trade.weight_class))
            if trade.weight_class
            else None,
        }

    def detail_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.DETAIL_FIELDS]

    def typed_values(self) -> dict[str, Any]:
        """What the person typed, as typed (for the draft), valid or not."""
        values = {name: self.data.get(name, "") for name in self.KEPT_FIELDS if name in self.data}
        # The ticked materials as one value (codes hold no comma); none ticked is kept too.
        ticked = self.data.getlist("material_codes") if isinstance(self.data, QueryDict) else []
        values["material_codes"] = ",".join(ticked)
        return values

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        made_to_order = data.get("availability") == "made_to_order"
        if made_to_order and not data.get("lead_time_days"):
            self.add_error("lead_time_days", _("Say how many days it takes to make the piece."))
        if not made_to_order and not data.get("stock_quantity"):
            self.add_error("stock_quantity", _("Say how many pieces are ready."))
        check_hs_code(self, data)
        return data

    def details(self) -> ProductDetails:
        data = self.cleaned_data
        made_to_order = data["availability"] == "made_to_order"

        def mm(name: str) -> int | None:
            value = data.get(name)
            return int(value * _MM_PER_CM) if value is not None else None

        def title_in(code: str) -> str:
            return str(data["title"]) if code == self.language else ""

        return ProductDetails(
            trade=data["trade"],
            title_ar=title_in("ar"),
            title_fr=title_in("fr"),
            title_en=title_in("en"),
            title_es=title_in("es"),
            description_ar="",
            description_fr="",
            description_en="",
            description_es="",
            materials="",
            material_codes=tuple(data.get("material_codes") or ()),
            techniques="",
            region=None,
            length_mm=mm("length_cm"),
            width_mm=mm("width_cm"),
            height_mm=mm("height_cm"),
            weight_grams=data["weight_grams"],
            price_amount=Money.from_decimal(data["price"], "MAD").amount,
            stock_quantity=0 if made_to_order else (data.get("stock_quantity") or 0),
            is_made_to_order=made_to_order,
            lead_time_days=data.get("lead_time_days") if made_to_order else None,
            hs_code=data["hs_code"],
            maker=None,
        )
