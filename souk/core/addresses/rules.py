"""What each country asks of an address: postal code, region list, how the city line is
written; and the normalising of postal codes and phone numbers to those rules.

Each country's rules are data in `COUNTRY_RULES`; a country without its own entry gets
`GENERIC_RULE`. Morocco's regions are the register's (souk.registry), which sits above core: it
hands its list over at start-up with `set_region_source` (registry/apps.py).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from souk.core.addresses.countries import (
    SPANISH_PROVINCES,
    US_STATES,
    _lazy_country_name,
    _sort_key,
)

RegionSource = Callable[[], list[tuple[str, str]]]
# Country code -> the app that knows its regions (set_region_source).
_region_sources: dict[str, RegionSource] = {}


def set_region_source(country: str, source: RegionSource) -> None:
    """Let `source` give the (code, name) regions of `country`, in display order."""
    _region_sources[country] = source


class CityLine(enum.Enum):
    """How the line with the city is written."""

    # "Springfield, IL 62704"
    CITY_REGION_POSTAL_CODE = "city_region_postal_code"
    # "75011 Paris": France, Spain and most of Europe, so also the generic layout.
    POSTAL_CODE_CITY = "postal_code_city"
    # "Casablanca 20250"
    CITY_POSTAL_CODE = "city_postal_code"


@dataclass(frozen=True)
class CountryRule:
    """What one country asks of an address. Messages may use `%(example)s`."""

    postal_code_label: StrOrPromise
    postal_code_pattern: re.Pattern[str]
    postal_code_error: StrOrPromise
    postal_code_required_error: StrOrPromise
    requires_postal_code: bool
    postal_code_example: str = ""
    has_numeric_postal_code: bool = False
    region_label: StrOrPromise = ""
    region_required_error: StrOrPromise = ""
    # (code, name) pairs in display order, read when a form is built; None: no region field.
    regions: Callable[[], list[tuple[str, str]]] | None = None
    requires_region: bool = False
    city_line: CityLine = CityLine.POSTAL_CODE_CITY
    # Spain writes the province on its own line below the city when they differ.
    writes_region_line: bool = False

    @property
    def has_regions(self) -> bool:
        return self.regions is not None


def _us_states() -> list[tuple[str, str]]:
    return sorted(US_STATES.items(), key=lambda item: _sort_key(item[1]))


def _spanish_provinces() -> list[tuple[str, str]]:
    return sorted(SPANISH_PROVINCES.items(), key=lambda item: _sort_key(item[1]))


def _moroccan_regions() -> list[tuple[str, str]]:
    # In the official order (Tanger-Tétouan-Al Hoceïma first), named in the active language.
    source = _region_sources.get("MA")
    return source() if source is not None else []


_FIVE_DIGITS = re.compile(r"\d{5}")
_POSTAL_CODE_REQUIRED = _("Enter the postal code.")

COUNTRY_RULES: dict[str, CountryRule] = {
    "MA": CountryRule(
        postal_code_label=_("Postal code"),
        postal_code_pattern=_FIVE_DIGITS,
        postal_code_example="20250",
        postal_code_error=_("Enter a 5-digit postal code, e.g. %(example)s."),
        postal_code_required_error=_POSTAL_CODE_REQUIRED,
        # Many buyers in Morocco do not know their postal code, and couriers deliver by city
        # and phone call: asking for it would only stop orders.
        requires_postal_code=False,
        has_numeric_postal_code=True,
        region_label=_("Region"),
        region_required_error=_("Choose a region."),
        regions=_moroccan_regions,
        requires_region=False,
        city_line=CityLine.CITY_POSTAL_CODE,
    ),
    "FR": CountryRule(
        postal_code_label=_("Postal code"),
        postal_code_pattern=_FIVE_DIGITS,
        postal_code_example="75011",
        postal_code_error=_("Enter a 5-digit postal code, e.g. %(example)s."),
        postal_code_required_error=_POSTAL_CODE_REQUIRED,
        requires_postal_code=True,
        has_numeric_postal_code=True,
    ),
    "ES": CountryRule(
        postal_code_label=_("Postal code"),
        postal_code_pattern=re.compile(r"(0[1-9]|[1-4]\d|5[0-2])\d{3}"),
        postal_code_example="28013",
        postal_code_error=_(
            "Enter a 5-digit postal code starting with 01 to 52, e.g. %(example)s."
        ),
        postal_code_required_error=_POSTAL_CODE_REQUIRED,
        requires_postal_code=True,
        has_numeric_postal_code=True,
        region_label=_("Province"),
        region_required_error=_("Choose a province."),
        regions=_spanish_provinces,
        requires_region=True,
        writes_region_line=True,
    ),
    "US": CountryRule(
        postal_code_label=_("ZIP code"),
        postal_code_pattern=re.compile(r"\d{5}(-\d{4})?"),
        postal_code_example="90210",
        postal_code_error=_("Enter a 5-digit ZIP code or a ZIP+4 code, e.g. %(example)s."),
        postal_code_required_error=_("Enter the ZIP code."),
        requires_postal_code=True,
        # Not numeric: ZIP+4 has a hyphen, which some numeric keypads lack.
        region_label=_("State"),
        region_required_error=_("Choose a state."),
        regions=_us_states,
        requires_region=True,
        city_line=CityLine.CITY_REGION_POSTAL_CODE,
    ),
}

# Optional, as many countries have no postal codes; when given it is checked only for shape.
GENERIC_RULE = CountryRule(
    postal_code_label=_("Postal code"),
    postal_code_pattern=re.compile(r"[A-Z0-9](?:[A-Z0-9 -]{0,8}[A-Z0-9])?"),
    postal_code_error=_("Enter a postal code of up to 10 letters, digits, spaces or hyphens."),
    postal_code_required_error=_POSTAL_CODE_REQUIRED,
    requires_postal_code=False,
)


def rule_for(country: str) -> CountryRule:
    return COUNTRY_RULES.get(country, GENERIC_RULE)


def collapse_spaces(text: str) -> str:
    """Trimmed, with every run of whitespace (tabs, newlines) made one space."""
    return " ".join(text.split())


def normalize_postal_code(raw: str, *, country: str) -> str:
    """Upper-cased and space-collapsed; digits-only codes lose their spaces ("75 011")."""
    text = collapse_spaces(raw).upper()
    if rule_for(country).has_numeric_postal_code:
        text = text.replace(" ", "")
    return text


def normalize_phone_for_country(raw: str, *, country: str) -> str:
    """Return the E.164 form of `raw`, which must be a valid number of `country`.

    A number without a prefix is read as a number of `country`; `00` is read as the
    international prefix, as dialled from Morocco and most of Europe. Raises ValidationError
    when the number is not a valid number of that country, including a valid number of another.
    """
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    error = forms.ValidationError(
        _("This phone number is not valid for %(country)s."),
        code="invalid_phone_for_country",
        # Named when the message is shown, in the language it is shown in.
        params={"country": _lazy_country_name(country)},
    )
    try:
        number = phonenumbers.parse(text, country)
    except phonenumbers.NumberParseException as parse_error:
        raise error from parse_error
    if not (
        phonenumbers.is_valid_number(number)
        and phonenumbers.is_valid_number_for_region(number, country)
    ):
        raise error
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def example_phone(country: str) -> str:
    """A mobile number of `country` as written there (`06 12 34 56 78`), or "" if none known."""
    number = phonenumbers.example_number_for_type(
        country, phonenumbers.PhoneNumberType.MOBILE
    ) or phonenumbers.example_number(country)
    if number is None:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
