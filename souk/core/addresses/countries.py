"""Countries: their codes, their names in the active language, the country menu, the EU."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping

import babel
import phonenumbers
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language

DEFAULT_COUNTRY = "MA"
# Listed first in the country menu, in this order: where nearly every order goes.
PREFERRED_COUNTRIES = ("MA", "FR", "ES", "US")

# Membership of the Union, not its VAT and customs territory: the Canary Islands (postal codes
# 35 and 38), Ceuta (51) and Melilla (52) are Spain, yet outside the EU VAT area.
EU_COUNTRIES: frozenset[str] = frozenset(
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
        "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    }
)  # fmt: skip

# Babel also names continents ("001"), groupings ("EU", "EZ", "UN") and placeholders ("ZZ",
# "QO"); a country is a two-letter code that also has telephone numbering. Western Sahara
# ("EH") is left out: its addresses are Moroccan (regions 11 and 12 of registry.Region), and are
# entered with Morocco as the country.
COUNTRY_CODES: frozenset[str] = frozenset(
    code
    for code in babel.Locale("en").territories
    if isinstance(code, str)
    and len(code) == 2
    and code.isalpha()
    and code in phonenumbers.SUPPORTED_REGIONS
    and code != "EH"
)

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota",
    "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip

# Keyed by the INE province code, which is also the first two digits of its postal codes.
# Names are the official ones, bilingual where the province's are.
SPANISH_PROVINCES: dict[str, str] = {
    "01": "Araba/Álava", "02": "Albacete", "03": "Alicante/Alacant", "04": "Almería",
    "05": "Ávila", "06": "Badajoz", "07": "Illes Balears", "08": "Barcelona", "09": "Burgos",
    "10": "Cáceres", "11": "Cádiz", "12": "Castellón/Castelló", "13": "Ciudad Real",
    "14": "Córdoba", "15": "A Coruña", "16": "Cuenca", "17": "Girona", "18": "Granada",
    "19": "Guadalajara", "20": "Gipuzkoa", "21": "Huelva", "22": "Huesca", "23": "Jaén",
    "24": "León", "25": "Lleida", "26": "La Rioja", "27": "Lugo", "28": "Madrid",
    "29": "Málaga", "30": "Murcia", "31": "Navarra", "32": "Ourense", "33": "Asturias",
    "34": "Palencia", "35": "Las Palmas", "36": "Pontevedra", "37": "Salamanca",
    "38": "Santa Cruz de Tenerife", "39": "Cantabria", "40": "Segovia", "41": "Sevilla",
    "42": "Soria", "43": "Tarragona", "44": "Teruel", "45": "Toledo",
    "46": "Valencia/València", "47": "Valladolid", "48": "Bizkaia", "49": "Zamora",
    "50": "Zaragoza", "51": "Ceuta", "52": "Melilla",
}  # fmt: skip


def _sort_key(name: str) -> str:
    """Accents ignored and case folded, so "Égypte" sorts with the E's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).replace("-", "_")


@functools.cache
def _territory_names(language: str) -> Mapping[str, str]:
    try:
        return babel.Locale.parse(language).territories
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse(settings.LANGUAGE_CODE).territories


def country_name(code: str, *, language: str | None = None) -> str:
    """The name of the country `code` in `language` (the active one by default)."""
    return _territory_names(language or _active_language()).get(code, code)


_lazy_country_name = lazy(country_name, str)


@functools.cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _territory_names(language)
    preferred = [(code, names[code]) for code in PREFERRED_COUNTRIES]
    others = sorted(
        ((code, names[code]) for code in COUNTRY_CODES if code not in PREFERRED_COUNTRIES),
        key=lambda choice: _sort_key(choice[1]),
    )
    return (*preferred, *others)


def country_choices() -> list[tuple[str, str]]:
    """Every country, named in the active language: Morocco, France, Spain and the USA first,
    then the rest in alphabetical order."""
    return list(_country_choices(_active_language()))
