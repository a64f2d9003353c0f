"""Moroccan RIB to IBAN (ISO 13616), and the IBAN check (ISO 7064 MOD 97-10).

An IBAN is the country code, two check digits and the national account number (BBAN); the
check digits make the number, read with its first four characters moved to the end and letters
replaced by 10..35, leave remainder 1 when divided by 97. A Moroccan BBAN is the 24-digit RIB.
"""

from __future__ import annotations

import re

MOROCCO = "MA"
IBAN_LENGTH_MOROCCO = 28
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_RIB = re.compile(r"^[0-9]{24}$")


def _as_digits(text: str) -> int:
    # A=10, B=11 ... Z=35; digits stay as they are.
    return int("".join(str(int(character, 36)) for character in text))


def rib_to_iban(rib: str) -> str:
    """The IBAN of a 24-digit Moroccan RIB: "MA", the check digits, the RIB.

    Raises ValueError for anything but 24 ASCII digits."""
    if not _RIB.match(rib):
        raise ValueError(f"A Moroccan RIB has 24 digits, got {rib!r}.")
    # Check digits = 98 - (BBAN + country + "00") mod 97.
    check = 98 - _as_digits(f"{rib}{MOROCCO}00") % 97
    return f"{MOROCCO}{check:02d}{rib}"


def is_valid_iban(iban: str) -> bool:
    """Whether `iban` (no spaces, upper case) has the shape of an IBAN and its check digits."""
    if not _IBAN.match(iban):
        return False
    if iban.startswith(MOROCCO) and len(iban) != IBAN_LENGTH_MOROCCO:
        return False
    return _as_digits(iban[4:] + iban[:4]) % 97 == 1
