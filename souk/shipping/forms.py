"""Forms of shipping: a shop's free-shipping thresholds, the country a product page quotes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from souk.core.addresses import country_choices
from souk.core.money import Money
from souk.shipping.models import ShippingZone


class FreeShippingForm(forms.Form):
    """One optional amount (MAD) per zone; empty means no free shipping there."""

    def __init__(self, data: Any = None, *, thresholds: dict[str, Money] | None = None) -> None:
        values = {zone: money.to_decimal() for zone, money in (thresholds or {}).items()}
        super().__init__(data, initial=values)
        for zone in ShippingZone:
            self.fields[zone.value] = forms.DecimalField(
                label=zone.label,
                required=False,
                min_value=Decimal("1"),
                max_value=Decimal("1000000"),
                decimal_places=2,
                help_text=_("Free shipping from this amount of works (MAD); empty for none."),
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
            )

    def thresholds(self) -> dict[str, Money | None]:
        return {
            zone.value: (
                Money.from_decimal(self.cleaned_data[zone.value], "MAD")
                if self.cleaned_data.get(zone.value)
                else None
            )
            for zone in ShippingZone
        }


class DeliveryCountryForm(forms.Form):
    """The country a product page quotes delivery to, chosen by the visitor."""

    country = forms.ChoiceField(label=_("Deliver to"), choices=country_choices)
    next = forms.CharField(required=False)
