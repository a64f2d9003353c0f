"""Delivery addresses, checked and written the way the destination country does.

Each country's rules are data in `COUNTRY_RULES`; a country without its own entry gets
`GENERIC_RULE`. `AddressForm` fits its labels, required fields and region list to the chosen
country, and `PostalAddress.lines()` writes the address as that country's post expects it.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

import babel
import phonenumbers
from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from souk.core.widgets import LongSelect
from souk.registry.models import Region

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
# ("EH") is left out: its addresses are Moroccan (regions 11 and 12 of `Region`), and are
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


def _sort_key(name: str) -> str:
    """Accents ignored and case folded, so "Égypte" sorts with the E's."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _us_states() -> list[tuple[str, str]]:
    return sorted(US_STATES.items(), key=lambda item: _sort_key(item[1]))


def _spanish_provinces() -> list[tuple[str, str]]:
    return sorted(SPANISH_PROVINCES.items(), key=lambda item: _sort_key(item[1]))


def _moroccan_regions() -> list[tuple[str, str]]:
    # In the official order (Tanger-Tétouan-Al Hoceïma first), named in the active language.
    return [(region.code, region.name) for region in Region.objects.order_by("code")]


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


@dataclass(frozen=True)
class PostalAddress:
    """A checked delivery address: `region` is a code of the country's list or "", `country`
    an ISO 3166 alpha-2 code and `phone` in E.164."""

    full_name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    phone: str

    def lines(self) -> list[str]:
        """The address as the destination country writes it, the country's name last (in the
        active language); empty lines are left out."""
        rule = rule_for(self.country)
        lines = [self.full_name, self.line1, self.line2, self._city_line(rule)]
        if rule.writes_region_line and rule.regions is not None and self.region:
            region_name = dict(rule.regions()).get(self.region, self.region)
            if _sort_key(region_name) != _sort_key(self.city):
                lines.append(region_name)
        lines.append(country_name(self.country))
        return [line for line in lines if line]

    def _city_line(self, rule: CountryRule) -> str:
        if rule.city_line is CityLine.CITY_REGION_POSTAL_CODE:
            region_and_code = " ".join(part for part in (self.region, self.postal_code) if part)
            return ", ".join(part for part in (self.city, region_and_code) if part)
        if rule.city_line is CityLine.CITY_POSTAL_CODE:
            return " ".join(part for part in (self.city, self.postal_code) if part)
        return " ".join(part for part in (self.postal_code, self.city) if part)


def _example_help_text(example: str) -> str:
    # The example is isolated left-to-right, or Arabic text would reverse its digit groups.
    return format_html(
        gettext("For example: {example}"), example=format_html('<bdi dir="ltr">{}</bdi>', example)
    )


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
        # The region is dropped: it belonged to the previous country, and the codes of two
        # countries' lists overlap (Morocco's region 06 is Casablanca-Settat, Spain's Badajoz).
        initial = {
            name: data[key] for name, key in keys.items() if key in data and name != "region"
        }
        return cls(initial=initial, prefix=prefix)

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
