"""Row validation: one row's raw values in, normalised values or the list of what is wrong out.

`validate_row` is a pure function of the row and of the reference codes it is given, so it is
tested without a database and costs no query per row. The rules are those of
register-format.md; each error names its field and carries a translatable message whose
%(name)s values are filled in when the report is written, in the reader's language.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.core import crypto
from souk.core.text import normalize_latin
from souk.registry.importing.phones import PHONE_LEFT_OUT, phone_to_e164
from souk.registry.models import Category, EntryStatus, Qualification

MINIMUM_AGE: Final = 15
CONTENT_HASH_PURPOSE: Final = "registry.content_hash"
MAXIMUM_AGE: Final = 100

# Shared with Django's own forms, so its translation exists in every language already.
REQUIRED: Final = _("This field is required.")
REQUIRED_FOR_PERSON: Final = _("Required for an artisan or a master artisan.")
BAD_REGISTER_NUMBER: Final = _(
    "A register number has 4 to 32 characters: letters, digits, “-” or “/”."
)
DUPLICATE_NUMBER: Final = _(
    "This register number is already on an earlier line of the file; the first line is kept."
)
UNKNOWN_CATEGORY: Final = _(
    "Unknown category “%(value)s”: use artisan, maitre_artisan, cooperative or entreprise."
)
UNKNOWN_QUALIFICATION: Final = _(
    "Unknown qualification “%(value)s”: use diplome, experience_3y or experience_10y."
)
QUALIFICATION_FOR_PERSONS: Final = _(
    "A qualification applies to artisans and master artisans only."
)
BAD_CIN: Final = _("A CIN is one or two letters followed by one to six digits, e.g. AB123456.")
MISSING_PERSON_NAME: Final = _("Give the first and the last name, in French or in Arabic.")
NOT_ARABIC: Final = _("Write this name in Arabic script.")
MISSING_LEGAL_NAME: Final = _("Give the legal name, in French or in Arabic.")
BAD_ICE: Final = _("An ICE is 15 digits.")
REQUIRED_FOR_COMPANY: Final = _("Required for an artisanal company.")
BAD_DATE_FORMAT: Final = _("“%(value)s” is not a date: write YYYY-MM-DD or DD/MM/YYYY.")
IMPOSSIBLE_DATE: Final = _("“%(value)s” is not a day of the calendar.")
AGE_OUT_OF_RANGE: Final = _(
    "Age on the registration date is %(age)d years; it must be between %(minimum)d and %(maximum)d."
)
FUTURE_REGISTRATION: Final = _("The registration date %(value)s is in the future.")
UNKNOWN_TRADE: Final = _("Unknown trade code “%(value)s”.")
UNKNOWN_REGION: Final = _("Unknown region code “%(value)s”: use 01 to 12.")
UNKNOWN_STATUS: Final = _(
    "Unknown status “%(value)s”: use active, suspended or struck_off (actif, suspendu, radié)."
)
TOO_LONG: Final = _("At most %(limit)d characters.")

_REGISTER_NUMBER: Final = re.compile(r"[A-Za-z0-9/-]{4,32}")
_CIN: Final = re.compile(r"[A-Z]{1,2}[0-9]{1,6}")
_ICE: Final = re.compile(r"[0-9]{15}")
_ISO_DATE: Final = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_FRENCH_DATE: Final = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_REGION: Final = re.compile(r"[0-9]{1,2}")
_ARABIC_LETTER: Final = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN_LETTER: Final = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CATEGORIES: Final[dict[str, str]] = {
    "artisan": Category.ARTISAN.value,
    "maitre_artisan": Category.MASTER_ARTISAN.value,
    "master_artisan": Category.MASTER_ARTISAN.value,
    "artisan_maalem": Category.MASTER_ARTISAN.value,
    "cooperative": Category.COOPERATIVE.value,
    "entreprise": Category.COMPANY.value,
    "entreprise_artisanale": Category.COMPANY.value,
    "company": Category.COMPANY.value,
}
_QUALIFICATIONS: Final[dict[str, str]] = {
    "diplome": Qualification.DIPLOMA.value,
    "diploma": Qualification.DIPLOMA.value,
    "experience_3y": Qualification.EXPERIENCE_3Y.value,
    "experience_3_ans": Qualification.EXPERIENCE_3Y.value,
    "experience_10y": Qualification.EXPERIENCE_10Y.value,
    "experience_10_ans": Qualification.EXPERIENCE_10Y.value,
}
_STATUSES: Final[dict[str, str]] = {
    "": EntryStatus.ACTIVE.value,
    "active": EntryStatus.ACTIVE.value,
    "actif": EntryStatus.ACTIVE.value,
    "suspended": EntryStatus.SUSPENDED.value,
    "suspendu": EntryStatus.SUSPENDED.value,
    "suspendue": EntryStatus.SUSPENDED.value,
    "struck_off": EntryStatus.STRUCK_OFF.value,
    "radie": EntryStatus.STRUCK_OFF.value,
    "radiee": EntryStatus.STRUCK_OFF.value,
}
_PERSONS: Final = frozenset({Category.ARTISAN.value, Category.MASTER_ARTISAN.value})

# Longest value each text field holds (the model's max_length).
_LIMITS: Final[dict[str, int]] = {
    "last_name_fr": 100,
    "first_name_fr": 100,
    "last_name_ar": 100,
    "first_name_ar": 100,
    "legal_name_fr": 200,
    "legal_name_ar": 200,
    "province": 100,
    "commune": 100,
}


@dataclass(frozen=True, slots=True)
class ReferenceCodes:
    """What a row is checked against, loaded once per import."""

    trade_codes: frozenset[str]
    region_codes: frozenset[str]
    today: date


@dataclass(frozen=True, slots=True)
class RowError:
    """One broken rule: the field, the value as written, and why (rendered on demand)."""

    field_name: str
    value: str
    message: str | Promise
    params: dict[str, object] = field(default_factory=dict)

    def reason(self) -> str:
        """The message in the active language, values filled in."""
        return str(self.message) % self.params


@dataclass(frozen=True, slots=True)
class ValidRow:
    """A row that passed every rule, normalised; field order is the content-hash order."""

    register_number: str
    category: str
    qualification: str
    cin: str
    last_name_fr: str
    first_name_fr: str
    last_name_ar: str
    first_name_ar: str
    legal_name_fr: str
    legal_name_ar: str
    ice: str
    birth_date: date | None
    phone: str
    trade_code: str
    region_code: str
    province: str
    commune: str
    registered_at: date
    status: str
    # What was left out of the entry (a doubtful phone): listed in the report, not hashed.
    warnings: tuple[RowError, ...] = ()

    def content_hash(self) -> str:
        """32 hex digits over every imported value in fixed order: equal rows, equal hashes.

        Values are joined with U+001F, which `clean_text` removes from values (Python counts it
        as whitespace), so two different rows cannot join to the same text.
        """
        birth_date = self.birth_date.isoformat() if self.birth_date else ""
        text = "\x1f".join(
            (
                self.register_number,
                self.category,
                self.qualification,
                self.cin,
                self.last_name_fr,
                self.first_name_fr,
                self.last_name_ar,
                self.first_name_ar,
                self.legal_name_fr,
                self.legal_name_ar,
                self.ice,
                birth_date,
                self.phone,
                self.trade_code,
                self.region_code,
                self.province,
                self.commune,
                self.registered_at.isoformat(),
                self.status,
            )
        )
        # Keyed: the row's other values are stored in clear, so an unkeyed hash would let
        # anyone holding the table try every CIN until it matched.
        return hashlib.blake2b(
            text.encode(), digest_size=16, key=crypto.derived_key(CONTENT_HASH_PURPOSE)
        ).hexdigest()


def clean_text(raw: str) -> str:
    """Composed Unicode, one space between words, no space at the ends."""
    if raw.isascii():
        return " ".join(raw.split())
    return " ".join(unicodedata.normalize("NFC", raw).split())


# Category, qualification and status take a handful of values, repeated on every row.
@functools.lru_cache(maxsize=512)
def fold_word(raw: str) -> str:
    """`"Maître artisan"` -> `"maitre_artisan"`: how enumerated values are compared."""
    return "_".join(normalize_latin(raw).replace("-", " ").replace("'", " ").split())


def register_number_of(raw: str) -> str | None:
    """The trimmed register number, or None when it breaks the format."""
    number = raw.strip()
    return number if _REGISTER_NUMBER.fullmatch(number) else None


def parse_date(raw: str) -> date | RowError | None:
    """`YYYY-MM-DD` or `DD/MM/YYYY`; None for an empty value."""
    text = raw.strip()
    if not text:
        return None
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _FRENCH_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return RowError("", text, BAD_DATE_FORMAT, {"value": text})
    try:
        return date(year, month, day)
    except ValueError:
        return RowError("", text, IMPOSSIBLE_DATE, {"value": text})


def age_on(birth_date: date, day: date) -> int:
    """Whole years between `birth_date` and `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


class _RowChecker:
    """Reads one row field by field, keeping the normalised values and the errors apart."""

    def __init__(self, values: Mapping[str, str], reference: ReferenceCodes) -> None:
        self.raw = values
        self.reference = reference
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []

    def warn(self, field_name: str, message: str | Promise) -> None:
        """A value left out of the entry; the row is still imported."""
        self.warnings.append(RowError(field_name, self.raw.get(field_name, ""), message))

    def fail(
        self, field_name: str, message: str | Promise, params: dict[str, object] | None = None
    ) -> None:
        self.errors.append(
            RowError(field_name, self.raw.get(field_name, ""), message, params or {})
        )

    def text(self, field_name: str) -> str:
        raw = self.raw.get(field_name, "")
        if not raw:
            return ""
        value = clean_text(raw)
        limit = _LIMITS.get(field_name)
        if limit is not None and len(value) > limit:
            self.fail(field_name, TOO_LONG, {"limit": limit})
        return value

    def register_number(self) -> str:
        raw = self.raw.get("register_number", "")
        number = register_number_of(raw)
        if number is None:
            self.fail("register_number", REQUIRED if not raw.strip() else BAD_REGISTER_NUMBER)
            return ""
        return number

    def choice(
        self, field_name: str, choices: Mapping[str, str], message: str | Promise
    ) -> str | None:
        raw = self.raw.get(field_name, "")
        value = choices.get(fold_word(raw))
        if value is None:
            self.fail(field_name, message, {"value": raw.strip()})
        return value

    def category(self) -> str | None:
        if not self.raw.get("category", "").strip():
            self.fail("category", REQUIRED)
            return None
        return self.choice("category", _CATEGORIES, UNKNOWN_CATEGORY)

    def qualification(self, category: str | None) -> str:
        if not self.raw.get("qualification", "").strip():
            return ""
        value = self.choice("qualification", _QUALIFICATIONS, UNKNOWN_QUALIFICATION)
        if value is not None and category is not None and category not in _PERSONS:
            self.fail("qualification", QUALIFICATION_FOR_PERSONS)
        return value or ""

    def cin(self, is_person: bool) -> str:
        cin = "".join(self.raw.get("cin", "").split()).upper()
        if not cin:
            if is_person:
                self.fail("cin", REQUIRED_FOR_PERSON)
            return ""
        if not _CIN.fullmatch(cin):
            self.fail("cin", BAD_CIN)
        return cin

    def arabic_text(self, field_name: str) -> str:
        value = self.text(field_name)
        if value and (_LATIN_LETTER.search(value) or not _ARABIC_LETTER.search(value)):
            self.fail(field_name, NOT_ARABIC)
        return value

    def person_names(self, names: dict[str, str]) -> None:
        french = names["first_name_fr"] and names["last_name_fr"]
        arabic = names["first_name_ar"] and names["last_name_ar"]
        if french or arabic:
            return
        missing = next(
            (
                name
                for name in ("last_name_fr", "first_name_fr", "last_name_ar", "first_name_ar")
                if not names[name]
            ),
            "last_name_fr",
        )
        self.fail(missing, MISSING_PERSON_NAME)

    def ice(self, category: str | None) -> str:
        ice = "".join(self.raw.get("ice", "").split())
        if not ice:
            if category == Category.COMPANY:
                self.fail("ice", REQUIRED_FOR_COMPANY)
            return ""
        if not _ICE.fullmatch(ice):
            self.fail("ice", BAD_ICE)
        return ice

    def date_value(self, field_name: str) -> date | None:
        parsed = parse_date(self.raw.get(field_name, ""))
        if isinstance(parsed, RowError):
            self.fail(field_name, parsed.message, parsed.params)
            return None
        return parsed

    def registered_at(self) -> date | None:
        if not self.raw.get("registered_at", "").strip():
            self.fail("registered_at", REQUIRED)
            return None
        registered_at = self.date_value("registered_at")
        if registered_at is not None and registered_at > self.reference.today:
            self.fail("registered_at", FUTURE_REGISTRATION, {"value": registered_at.isoformat()})
        return registered_at

    def birth_date(self, is_person: bool, registered_at: date | None) -> date | None:
        if not self.raw.get("birth_date", "").strip():
            if is_person:
                self.fail("birth_date", REQUIRED_FOR_PERSON)
            return None
        birth_date = self.date_value("birth_date")
        if birth_date is not None and registered_at is not None and is_person:
            age = age_on(birth_date, registered_at)
            if not MINIMUM_AGE <= age <= MAXIMUM_AGE:
                self.fail(
                    "birth_date",
                    AGE_OUT_OF_RANGE,
                    {"age": age, "minimum": MINIMUM_AGE, "maximum": MAXIMUM_AGE},
                )
        return birth_date

    def phone(self) -> str:
        raw = self.raw.get("phone", "").strip()
        if not raw:
            return ""
        try:
            return phone_to_e164(raw)
        except ValidationError:
            # Only identity fields reject a row: a phone outside the ranges phonenumbers knows
            # as allocated (new mobile ranges come before the library knows them) is left out.
            self.warn("phone", PHONE_LEFT_OUT)
            return ""

    def trade_code(self) -> str:
        raw = self.raw.get("trade_code", "")
        code = raw.strip().upper()
        if not code:
            self.fail("trade_code", REQUIRED)
        elif code not in self.reference.trade_codes:
            self.fail("trade_code", UNKNOWN_TRADE, {"value": raw.strip()})
        return code

    def region_code(self) -> str:
        raw = self.raw.get("region_code", "").strip()
        code = raw.zfill(2) if _REGION.fullmatch(raw) else raw
        if not raw:
            self.fail("region_code", REQUIRED)
        elif code not in self.reference.region_codes:
            self.fail("region_code", UNKNOWN_REGION, {"value": raw})
        return code


def validate_row(
    values: Mapping[str, str], *, reference: ReferenceCodes
) -> ValidRow | list[RowError]:
    """Check one row against register-format.md; `values` maps field names to raw cells.

    Returns the normalised row (with the values it left out in `warnings`), or every rule it
    breaks followed by those warnings (never raises for bad data). Absent optional columns read
    as empty values.
    """
    check = _RowChecker(values, reference)
    number = check.register_number()
    category = check.category()
    is_person = category in _PERSONS
    qualification = check.qualification(category)
    cin = check.cin(is_person)
    names = {
        "last_name_fr": check.text("last_name_fr"),
        "first_name_fr": check.text("first_name_fr"),
        "last_name_ar": check.arabic_text("last_name_ar"),
        "first_name_ar": check.arabic_text("first_name_ar"),
    }
    if is_person:
        check.person_names(names)
    legal_name_fr = check.text("legal_name_fr")
    legal_name_ar = check.arabic_text("legal_name_ar")
    if category is not None and not is_person and not (legal_name_fr or legal_name_ar):
        check.fail("legal_name_fr", MISSING_LEGAL_NAME)
    ice = check.ice(category)
    registered_at = check.registered_at()
    birth_date = check.birth_date(is_person, registered_at)
    phone = check.phone()
    trade_code = check.trade_code()
    region_code = check.region_code()
    province = check.text("province")
    commune = check.text("commune")
    status = check.choice("status", _STATUSES, UNKNOWN_STATUS)
    if check.errors or category is None or registered_at is None or status is None:
        return [*check.errors, *check.warnings]
    return ValidRow(
        register_number=number,
        category=category,
        qualification=qualification,
        cin=cin,
        **names,
        legal_name_fr=legal_name_fr,
        legal_name_ar=legal_name_ar,
        ice=ice,
        birth_date=birth_date,
        phone=phone,
        trade_code=trade_code,
        region_code=region_code,
        province=province,
        commune=commune,
        registered_at=registered_at,
        status=status,
        warnings=tuple(check.warnings),
    )
