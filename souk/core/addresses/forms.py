"""The delivery address form, whose fields fit the destination country."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from souk.core.addresses.countries import (
    COUNTRY_CODES,
    DEFAULT_COUNTRY,
    SPANISH_PROVINCES,
    country_choices,
)
from souk.core.addresses.postal import PostalAddress
from souk.core.addresses.rules import (
    collapse_spaces,
    example_phone,
    normalize_phone_for_country,
    normalize_postal_code,
    rule_for,
)
from souk.core.widgets import LongSelect


def _example_help_text(example: str) -> str:
    # The example is isolated left-to-right, or Arabic text would reverse its digit groups.
    return format_html(
        gettext("For example: {example}"), example=format_html('<bdi dir="ltr">{}</bdi>', example)
    )


# A hidden input beside the fields: the country whose regions the region list holds.
REGION_COUNTRY_FIELD = "region_country"


class AddressForm(forms.Form):
    """A delivery address whose fields fit the destination country.

    The country is read from the submitted data, else from `initial`, else Morocco. The
    template reloads the fields when the country changes; `refitted()` builds that form.
    """

    # First, because every field below depends on it.
    country = forms.ChoiceField(
        label=_("Country"),
        choices=country_choices,
        initial=DEFAULT_COUNTRY,
        widget=LongSelect(attrs={"autocomplete": "country"}),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    line1 = forms.CharField(
        label=_("Address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line2 = forms.CharField(
        label=_("Apartment, building, floor (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        widget=forms.Select(attrs={"autocomplete": "address-level1"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "dir": "ltr"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=32,
        help_text=_("The courier calls this number to arrange the delivery."),
        widget=forms.TelInput(attrs={"autocomplete": "tel", "dir": "ltr"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.selected_country = self._selected_country()
        self.rule = rule_for(self.selected_country)
        self._fit_to_country()

    @classmethod
    def refitted(cls, data: Mapping[str, Any], *, prefix: str | None = None) -> AddressForm:
        """An unbound form holding what was typed in `data`, fitted to the country it names.

        For the view that reloads the fields after a country change: nothing is validated, so
        the fields the buyer has not reached yet show no errors.
        """
        keys = {name: f"{prefix}-{name}" if prefix else name for name in cls.base_fields}
        initial = {name: data[key] for name, key in keys.items() if key in data}
        # The region is kept only when it was chosen from this country's list (the page says
        # which, in REGION_COUNTRY_FIELD): after a change of country it belonged to the previous
        # one, and the codes of two countries' lists overlap (Morocco's region 06 is
        # Casablanca-Settat, Spain's Badajoz). A reload for anything else (the carrier) keeps it.
        region_country = str(data.get(cls._prefixed(REGION_COUNTRY_FIELD, prefix), ""))
        if region_country.upper() != str(initial.get("country", "")).strip().upper():
            initial.pop("region", None)
        return cls(initial=initial, prefix=prefix)

    @staticmethod
    def _prefixed(name: str, prefix: str | None) -> str:
        return f"{prefix}-{name}" if prefix else name

    @property
    def region_country_name(self) -> str:
        """The name of the hidden input saying which country the region list shown is for."""
        return self._prefixed(REGION_COUNTRY_FIELD, self.prefix)

    def _selected_country(self) -> str:
        if self.is_bound:
            raw = self.data.get(self.add_prefix("country"), "")
        else:
            raw = self.initial.get("country") or self.fields["country"].initial
        code = str(raw or "").strip().upper()
        # An unknown code fails the country field; the others then get the generic rule.
        return code if code in COUNTRY_CODES else ""

    def _fit_to_country(self) -> None:
        rule = self.rule
        postal_code = self.fields["postal_code"]
        postal_code.label = rule.postal_code_label
        postal_code.required = rule.requires_postal_code
        postal_code.error_messages["required"] = rule.postal_code_required_error
        if rule.postal_code_example:
            postal_code.help_text = _example_help_text(rule.postal_code_example)
        if rule.has_numeric_postal_code:
            postal_code.widget.attrs["inputmode"] = "numeric"

        if rule.regions is None:
            del self.fields["region"]
        else:
            region = cast(forms.ChoiceField, self.fields["region"])
            region.label = rule.region_label
            region.required = rule.requires_region
            region.error_messages["required"] = rule.region_required_error
            region.choices = [("", gettext("Choose…")), *rule.regions()]

        if self.selected_country and (example := example_phone(self.selected_country)):
            self.fields["phone"].help_text = format_html(
                "{} {}", self.fields["phone"].help_text, _example_help_text(example)
            )

    def clean_full_name(self) -> str:
        return collapse_spaces(self.cleaned_data["full_name"])

    def clean_line1(self) -> str:
        return collapse_spaces(self.cleaned_data["line1"])

    def clean_line2(self) -> str:
        return collapse_spaces(self.cleaned_data.get("line2", ""))

    def clean_city(self) -> str:
        return collapse_spaces(self.cleaned_data["city"])

    def clean_postal_code(self) -> str:
        code = normalize_postal_code(
            self.cleaned_data.get("postal_code", ""), country=self.selected_country
        )
        if code and not self.rule.postal_code_pattern.fullmatch(code):
            raise forms.ValidationError(
                self.rule.postal_code_error,
                code="invalid_postal_code",
                params={"example": self.rule.postal_code_example},
            )
        return code

    def clean_phone(self) -> str:
        raw: str = self.cleaned_data["phone"]
        if not self.selected_country:
            # The country field carries the error; a number cannot be checked without it.
            return raw
        return normalize_phone_for_country(raw, country=self.selected_country)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        province, postal_code = cleaned.get("region"), cleaned.get("postal_code")
        # A Spanish postal code starts with its province's code: a mismatch is a typo in one.
        if (
            self.selected_country == "ES"
            and province
            and postal_code
            and postal_code[:2] != province
        ):
            self.add_error(
                "postal_code",
                forms.ValidationError(
                    _("This postal code is not in the province of %(province)s."),
                    code="postal_code_outside_province",
                    params={"province": SPANISH_PROVINCES[province]},
                ),
            )
        return cleaned

    def to_address(self) -> PostalAddress:
        """The cleaned address. Only for a valid form."""
        if not self.is_valid():
            raise ValueError("to_address() needs a valid form; check is_valid() first.")
        cleaned = self.cleaned_data
        return PostalAddress(
            full_name=cleaned["full_name"],
            line1=cleaned["line1"],
            line2=cleaned["line2"],
            city=cleaned["city"],
            region=cleaned.get("region", ""),
            postal_code=cleaned["postal_code"],
            country=cleaned["country"],
            phone=cleaned["phone"],
        )
