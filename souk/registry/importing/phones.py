"""Phones of the register: any Moroccan writing to E.164, fast for the usual writings.

A phone is a contact detail, not part of an artisan's identity: a row whose phone is not valid
(malformed, or in a range phonenumbers does not know as allocated yet) is imported without it,
with a warning in the report (validation.py).
"""

from __future__ import annotations

import re
from typing import Final

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from souk.accounts.phones import normalize_phone

# Shared with the account forms (souk.accounts.phones), already translated.
BAD_PHONE: Final = _("Enter a valid phone number.")
# A contact detail never keeps an artisan out of the register: the entry is kept without it.
PHONE_LEFT_OUT: Final = _(
    "Not a phone number in use (malformed, or outside the allocated ranges): the entry is "
    "kept without it."
)

# The common Moroccan writings (`06 12 34 56 78`, `+212612345678`, `00212-6-12...`) reduced to
# their 9-digit national number; anything else goes through phonenumbers' full parser.
_PHONE_SEPARATORS: Final = re.compile(r"[\s.\-]")
_MOROCCAN_PHONE: Final = re.compile(r"(?:\+212|00212|0)([1-9][0-9]{8})")
_MOROCCO_COUNTRY_CODE: Final = 212


def phone_to_e164(raw: str) -> str:
    """E.164 for any Moroccan writing; raises ValidationError like `normalize_phone`.

    The usual writings are read here and judged by phonenumbers' validity rules directly,
    which skips its parser, the slowest part of a 420,000-row import. Every other writing goes
    through `normalize_phone`; a test proves both paths agree.
    """
    compact = _PHONE_SEPARATORS.sub("", raw)
    match = _MOROCCAN_PHONE.fullmatch(compact)
    if match is None:
        return normalize_phone(raw)
    national = match.group(1)
    number = phonenumbers.PhoneNumber(
        country_code=_MOROCCO_COUNTRY_CODE, national_number=int(national)
    )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(BAD_PHONE, code="invalid_phone")
    return f"+{_MOROCCO_COUNTRY_CODE}{national}"
