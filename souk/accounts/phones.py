"""Phone numbers: any common writing in, E.164 out (`06 12 34 56 78` -> `+212612345678`)."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_phone(raw: str, *, region: str | None = None) -> str:
    """Return the E.164 form of `raw`, read as a number of `region` unless it has a prefix.

    `00212...` is the international prefix as dialled from Morocco; phonenumbers reads `+`
    only, so the leading `00` is turned into `+` first. Raises ValidationError when the
    number cannot exist (wrong length, unknown prefix).
    """
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region or settings.SOUK_PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_email(identifier: str) -> bool:
    """A login identifier with an @ is an email address; anything else is read as a phone."""
    return "@" in identifier
