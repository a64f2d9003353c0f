"""Delivery addresses, checked and written the way the destination country does.

countries.py names the countries and builds the country menu; rules.py holds what each country
asks of an address (`COUNTRY_RULES`, `GENERIC_RULE` for the rest) and normalises postal codes
and phone numbers; `AddressForm` (forms.py) fits its labels, required fields and region list to
the chosen country, and `PostalAddress.lines()` (postal.py) writes the address as that
country's post expects it.
"""

from souk.core.addresses.countries import (
    COUNTRY_CODES,
    DEFAULT_COUNTRY,
    EU_COUNTRIES,
    PREFERRED_COUNTRIES,
    SPANISH_PROVINCES,
    US_STATES,
    country_choices,
    country_name,
)
from souk.core.addresses.postal import PostalAddress
from souk.core.addresses.rules import (
    COUNTRY_RULES,
    GENERIC_RULE,
    CityLine,
    CountryRule,
    collapse_spaces,
    example_phone,
    normalize_phone_for_country,
    normalize_postal_code,
    rule_for,
    set_region_source,
)

__all__ = [
    "COUNTRY_CODES",
    "COUNTRY_RULES",
    "DEFAULT_COUNTRY",
    "EU_COUNTRIES",
    "GENERIC_RULE",
    "PREFERRED_COUNTRIES",
    "SPANISH_PROVINCES",
    "US_STATES",
    "CityLine",
    "CountryRule",
    "PostalAddress",
    "collapse_spaces",
    "country_choices",
    "country_name",
    "example_phone",
    "normalize_phone_for_country",
    "normalize_postal_code",
    "rule_for",
    "set_region_source",
]
