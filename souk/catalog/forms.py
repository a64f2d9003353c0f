"""Forms of the catalog pages. They check what the artisan typed and say what is wrong beside
the field; the services check the same rules again before writing."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from souk.catalog import materials as vocabulary
from souk.catalog import selectors
from souk.catalog.models import PRODUCT_LANGUAGES, Product, ProductVariant
from souk.catalog.services import ProductDetails, VariantDetails
from souk.core.money import Money
from souk.registry.models import Region, Trade
from souk.shops.forms import NamedChoiceField
from souk.shops.models import Shop, ShopMember

LANGUAGE_NAMES = {"ar": _("Arabic"), "fr": _("French"), "en": _("English"), "es": _("Spanish")}
_MM_PER_CM = 10


def _cm_field(label: StrOrPromise) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal(10000),
        decimal_places=1,
    )


def check_hs_code(form: forms.Form, data: dict[str, Any]) -> None:
    """An HS code, when given, has six digits (dots allowed, as customs papers print it)."""
    hs_code = (data.get("hs_code") or "").replace(".", "").strip()
    if hs_code and (len(hs_code) != 6 or not hs_code.isdigit()):
        form.add_error("hs_code", _("An HS code has 6 digits."))


def set_material_choices(
    field: forms.MultipleChoiceField, *, trade: Trade, chosen: Iterable[str] = ()
) -> None:
    """Offer the trade's materials (and any the piece has already), named in the page's
    language (souk/catalog/materials.py)."""
    language = get_language() or "fr"
    offered = vocabulary.materials_for_trade(trade_code=trade.code, sector_code=trade.sector.code)
    codes = {material.code for material in offered} | set(chosen)
    field.choices = [
        (code, vocabulary.all_materials()[code].name(language))
        for code in vocabulary.known_codes(codes)
    ]


class ProductForm(forms.Form):
    trade = NamedChoiceField(label=_("Trade"), queryset=Trade.objects.none())
    # The trade's materials as checkboxes (materials_field); choices set per shop.
    material_codes = forms.MultipleChoiceField(
        label=_("Materials"), required=False, widget=forms.CheckboxSelectMultiple
    )
    materials = forms.CharField(
        label=_("Other materials"),
        max_length=200,
        required=False,
        help_text=_("Only those not in the list above."),
    )
    techniques = forms.CharField(
        label=_("Techniques"),
        max_length=200,
        required=False,
        help_text=_("For example: wheel-thrown, hand-painted"),
    )
    region = NamedChoiceField(label=_("Region of origin"), queryset=Region.objects.order_by("code"))
    price = forms.DecimalField(
        label=_("Price (MAD)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(10_000_000),
        decimal_places=2,
    )
    is_made_to_order = forms.BooleanField(label=_("Made to order"), required=False)
    lead_time_days = forms.IntegerField(
        label=_("Days to make it"), min_value=1, max_value=365, required=False
    )
    stock_quantity = forms.IntegerField(
        label=_("Pieces in stock"), min_value=0, initial=1, required=False
    )
    # The stock this page showed, so a save changes stock relative to it (services.update_*).
    stock_shown = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    length_cm = _cm_field(_("Length (cm)"))
    width_cm = _cm_field(_("Width (cm)"))
    height_cm = _cm_field(_("Height (cm)"))
    weight_grams = forms.IntegerField(
        label=_("Weight (g)"), min_value=1, max_value=1_000_000, required=False
    )
    hs_code = forms.CharField(
        label=_("HS code (customs)"),
        max_length=7,
        required=False,
        help_text=_("Six digits. Leave empty to use your trade's usual code."),
    )
    maker = forms.ModelChoiceField(
        label=_("Made by"), queryset=ShopMember.objects.none(), required=False
    )

    def __init__(self, *args: Any, shop: Shop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in PRODUCT_LANGUAGES:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title"), max_length=140, required=False
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )
            if code == "ar":
                for name in (f"title_{code}", f"description_{code}"):
                    self.fields[name].widget.attrs.update({"dir": "rtl", "lang": "ar"})
        trade_field = cast(NamedChoiceField, self.fields["trade"])
        trade_field.queryset = selectors.list_goods_trades(shop)
        set_material_choices(
            cast(forms.MultipleChoiceField, self.fields["material_codes"]),
            trade=shop.register_entry.trade,
            chosen=self.initial.get("material_codes") or (),
        )
        maker_field = cast(forms.ModelChoiceField, self.fields["maker"])  # type: ignore[type-arg]  # stubs are generic
        if shop.has_members:
            maker_field.queryset = selectors.list_makers(shop)
        else:
            del self.fields["maker"]

    def language_fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """(code, language name, [title, description]) for the four language fieldsets."""
        return [
            (code, str(LANGUAGE_NAMES[code]), [self[f"title_{code}"], self[f"description_{code}"]])
            for code in PRODUCT_LANGUAGES
        ]

    def other_fields(self) -> list[forms.BoundField]:
        return [
            field
            for field in self.visible_fields()
            if not field.name.startswith(("title_", "description_"))
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"title_{c}") for c in PRODUCT_LANGUAGES):
            raise forms.ValidationError(_("Give the piece a title in at least one language."))
        if data.get("is_made_to_order") and not data.get("lead_time_days"):
            self.add_error("lead_time_days", _("Say how many days it takes to make the piece."))
        check_hs_code(self, data)
        return data

    def details(self) -> ProductDetails:
        data = self.cleaned_data

        def mm(name: str) -> int | None:
            value = data.get(name)
            return int(value * _MM_PER_CM) if value is not None else None

        return ProductDetails(
            trade=data["trade"],
            **{f"title_{c}": data[f"title_{c}"] for c in PRODUCT_LANGUAGES},
            **{f"description_{c}": data[f"description_{c}"] for c in PRODUCT_LANGUAGES},
            materials=data["materials"],
            material_codes=tuple(data.get("material_codes") or ()),
            techniques=data["techniques"],
            region=data["region"],
            length_mm=mm("length_cm"),
            width_mm=mm("width_cm"),
            height_mm=mm("height_cm"),
            weight_grams=data["weight_grams"],
            price_amount=Money.from_decimal(data["price"], "MAD").amount,
            stock_quantity=data.get("stock_quantity") or 0,
            is_made_to_order=data["is_made_to_order"],
            lead_time_days=data["lead_time_days"],
            hs_code=data["hs_code"],
            maker=data.get("maker"),
            stock_shown=data.get("stock_shown"),
        )

    @staticmethod
    def initial_for(product: Product | None, shop: Shop) -> dict[str, Any]:
        if product is None:
            trade = shop.register_entry.trade
            return {
                "trade": trade.pk if trade.sells_goods else None,
                "region": shop.region_id,
                "hs_code": trade.default_hs_code if trade.sells_goods else "",
                "stock_quantity": 1,
            }

        def cm(value: int | None) -> Decimal | None:
            return Decimal(value) / _MM_PER_CM if value is not None else None

        return {
            "trade": product.trade_id,
            **{f"title_{c}": getattr(product, f"title_{c}") for c in PRODUCT_LANGUAGES},
            **{f"description_{c}": getattr(product, f"description_{c}") for c in PRODUCT_LANGUAGES},
            "material_codes": list(product.material_codes),
            "materials": product.materials,
            "techniques": product.techniques,
            "region": product.region_id,
            "price": Money(product.price_amount, product.currency).to_decimal(),
            "is_made_to_order": product.is_made_to_order,
            "lead_time_days": product.lead_time_days,
            "stock_quantity": product.stock_quantity,
            "stock_shown": product.stock_quantity,
            "length_cm": cm(product.length_mm),
            "width_cm": cm(product.width_mm),
            "height_cm": cm(product.height_mm),
            "weight_grams": product.weight_grams,
            "hs_code": product.hs_code,
            "maker": product.maker_id,
        }


class VariantForm(forms.Form):
    sku = forms.CharField(
        label=_("SKU"),
        max_length=40,
        help_text=_("Your own reference for this variant, for example TAJ-L-BLUE."),
    )
    price = forms.DecimalField(
        label=_("Price (MAD)"),
        min_value=Decimal("0.01"),
        max_value=Decimal(10_000_000),
        decimal_places=2,
    )
    stock_quantity = forms.IntegerField(label=_("Pieces in stock"), min_value=0, initial=1)
    # The stock this page showed, so a save changes stock relative to it (services.update_*).
    stock_shown = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    length_cm = _cm_field(_("Length (cm)"))
    width_cm = _cm_field(_("Width (cm)"))
    height_cm = _cm_field(_("Height (cm)"))
    weight_grams = forms.IntegerField(
        label=_("Weight (g)"),
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text=_("Leave the weight and dimensions empty to use the piece's."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in PRODUCT_LANGUAGES:
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Variant (%(language)s)") % {"language": LANGUAGE_NAMES[code]},
                max_length=80,
                required=False,
                help_text=_("For example: Large, blue") if code == "en" else "",
            )
            if code == "ar":
                self.fields[f"label_{code}"].widget.attrs.update({"dir": "rtl", "lang": "ar"})
        # The labels come first, as the artisan names the variant before pricing it.
        self.order_fields([f"label_{code}" for code in PRODUCT_LANGUAGES])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(f"label_{code}") for code in PRODUCT_LANGUAGES):
            raise forms.ValidationError(_("Name the variant in at least one language."))
        return data

    def details(self) -> VariantDetails:
        data = self.cleaned_data

        def mm(name: str) -> int | None:
            value = data.get(name)
            return int(value * _MM_PER_CM) if value is not None else None

        return VariantDetails(
            **{f"label_{c}": data[f"label_{c}"] for c in PRODUCT_LANGUAGES},
            sku=data["sku"],
            price_amount=Money.from_decimal(data["price"], "MAD").amount,
            stock_quantity=data["stock_quantity"],
            length_mm=mm("length_cm"),
            width_mm=mm("width_cm"),
            height_mm=mm("height_cm"),
            weight_grams=data["weight_grams"],
            stock_shown=data.get("stock_shown"),
        )

    @staticmethod
    def initial_for(variant: ProductVariant) -> dict[str, Any]:
        def cm(value: int | None) -> Decimal | None:
            return Decimal(value) / _MM_PER_CM if value is not None else None

        return {
            **{f"label_{c}": getattr(variant, f"label_{c}") for c in PRODUCT_LANGUAGES},
            "sku": variant.sku,
            "price": Money(variant.price_amount, "MAD").to_decimal(),
            "stock_quantity": variant.stock_quantity,
            "stock_shown": variant.stock_quantity,
            "length_cm": cm(variant.length_mm),
            "width_cm": cm(variant.width_mm),
            "height_cm": cm(variant.height_mm),
            "weight_grams": variant.weight_grams,
        }


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the artisan reads it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
