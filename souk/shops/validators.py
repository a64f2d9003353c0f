"""Checks of what an artisan types for their shop: RIB, wallet number, languages.

Each returns the stored form or raises ValidationError with a message the artisan can act on.
Forms call them to show the message beside the field; services call them again before saving.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from souk.accounts.phones import normalize_phone
from souk.shops.models import Language

RIB_LENGTH = 24
# What people put between the groups of a RIB when copying it: spaces, dashes, dots.
_RIB_SEPARATORS = re.compile(r"[\s\-.]+")
# Moroccan mobile numbers (morocco.md §4.3); fixed lines (+2125) cannot hold a wallet.
MOBILE_PREFIXES = ("+2126", "+2127")


def normalize_rib(raw: str) -> str:
    """The 24 digits of a Moroccan RIB, whose key (last two digits) is checked.

    The whole number read as an integer is a multiple of 97 (morocco.md §4.1).
    """
    digits = _RIB_SEPARATORS.sub("", raw)
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(
            _("A RIB is made of digits only: remove the letters and other signs."),
            code="rib_not_digits",
        )
    if len(digits) != RIB_LENGTH:
        raise ValidationError(
            ngettext(
                "A RIB has 24 digits; this one has %(count)s digit.",
                "A RIB has 24 digits; this one has %(count)s digits.",
                len(digits),
            ),
            code="rib_length",
            params={"count": len(digits)},
        )
    if int(digits) % 97 != 0 or int(digits) == 0:
        raise ValidationError(
            _("This RIB's key does not match: check the 24 digits."), code="rib_key"
        )
    return digits


def normalize_wallet_phone(raw: str) -> str:
    """The E.164 form of a Moroccan mobile number (+2126… or +2127…)."""
    phone = normalize_phone(raw)
    if not phone.startswith(MOBILE_PREFIXES):
        raise ValidationError(
            _("A mobile wallet needs a Moroccan mobile number, starting with 06 or 07."),
            code="wallet_not_mobile",
        )
    return phone


def clean_languages(codes: Iterable[str]) -> list[str]:
    """The languages in the order of the Language table, each once; unknown codes refused."""
    chosen = set(codes)
    unknown = chosen - set(Language.values)
    if unknown:
        raise ValidationError(_("Choose languages from the list."), code="unknown_language")
    return [code for code in Language.values if code in chosen]
