"""Tracking numbers in the UPU S10 format the postal carriers use: two service letters, an
eight-digit serial, a check digit and the ISO country of the posting office, e.g. RR123456785MA.

The check digit: weigh the serial's digits by 8 6 4 2 3 5 9 7, take 11 minus the sum modulo
11, and write 10 as 0 and 11 as 5. The first service letter says the kind of item (E: EMS,
C: parcel post); the letters of each carrier are in SERVICE_LETTERS (docs/shipping.md).
"""

from __future__ import annotations

import re
import secrets

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
ORIGIN_COUNTRY = "MA"
# Carrier code -> service letters. EMS items start with E; parcels with C (CA for Amana at home,
# CP, the usual letters of parcel post, for Amana International). Any other carrier: CP.
SERVICE_LETTERS = {
    "amana": "CA",
    "amana-international": "CP",
    "ems": "EE",
}
DEFAULT_SERVICE_LETTERS = "CP"
S10_PATTERN = re.compile(r"^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$")


def check_digit(serial: str) -> int:
    """The S10 check digit of an eight-digit serial."""
    if len(serial) != 8 or not serial.isdigit():
        raise ValueError(f"An S10 serial has eight digits, not {serial!r}.")
    remainder = 11 - sum(w * int(d) for w, d in zip(S10_WEIGHTS, serial, strict=True)) % 11
    return {10: 0, 11: 5}.get(remainder, remainder)


def service_letters(carrier_code: str) -> str:
    return SERVICE_LETTERS.get(carrier_code, DEFAULT_SERVICE_LETTERS)


def new_tracking_number(carrier_code: str = "") -> str:
    """A fresh random S10 number for a parcel of this carrier (its uniqueness is the caller's
    concern: fulfilment.services.create_shipment retries on a clash)."""
    serial = f"{secrets.randbelow(10**8):08d}"
    return f"{service_letters(carrier_code)}{serial}{check_digit(serial)}{ORIGIN_COUNTRY}"


def is_valid(number: str) -> bool:
    """Whether `number` is a well-formed S10 number with the right check digit."""
    match = S10_PATTERN.match(number)
    return match is not None and check_digit(match.group(1)) == int(match.group(2))
