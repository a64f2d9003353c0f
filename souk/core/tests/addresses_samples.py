"""Sample addresses of the main destinations and helpers for the address tests."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation

from souk.core.addresses.forms import AddressForm

MOROCCO = {
    "full_name": "Amina El Idrissi",
    "line1": "12 rue Ibn Batouta",
    "line2": "",
    "city": "Casablanca",
    "region": "06",
    "postal_code": "20250",
    "country": "MA",
    "phone": "06 12 34 56 78",
}
FRANCE = {
    "full_name": "Claire Martin",
    "line1": "8 rue de la Roquette",
    "line2": "Bâtiment B",
    "city": "Paris",
    "postal_code": "75011",
    "country": "FR",
    "phone": "+33 6 12 34 56 78",
}
SPAIN = {
    "full_name": "Lucía García",
    "line1": "Calle Mayor 5",
    "line2": "",
    "city": "Madrid",
    "region": "28",
    "postal_code": "28013",
    "country": "ES",
    "phone": "612 34 56 78",
}
USA = {
    "full_name": "John Smith",
    "line1": "1600 Pennsylvania Avenue NW",
    "line2": "",
    "city": "Washington",
    "region": "DC",
    "postal_code": "20500",
    "country": "US",
    "phone": "(202) 456-1111",
}
JAPAN = {
    "full_name": "Yuki Tanaka",
    "line1": "1-1 Chiyoda",
    "line2": "",
    "city": "Tokyo",
    "postal_code": "100-0001",
    "country": "JP",
    "phone": "090-1234-5678",
}


def bound(base: dict[str, str], **changes: str) -> AddressForm:
    return AddressForm(data={**base, **changes})


def region_choices(form: AddressForm) -> list[tuple[str, str]]:
    field = form.fields["region"]
    assert isinstance(field, forms.ChoiceField)
    choices: Any = field.choices
    return [(str(code), str(name)) for code, name in choices]


def errors_in_english(form: AddressForm) -> dict[str, list[str]]:
    with translation.override("en"):
        return {
            field: [str(message) for message in messages] for field, messages in form.errors.items()
        }
