"""EMVCo merchant-presented QR payloads (the format mobile wallets scan), with their CRC.

A payload is a run of data objects `ID (2 digits) + LENGTH (2 digits) + VALUE`, ending with
object 63: the CRC-16/CCITT-FALSE of everything before it, `6304` included, over UTF-8 bytes.
Reference: ../shared/reference/payments.md §3.2.
"""

from __future__ import annotations

import binascii
from collections.abc import Iterable


class PayloadError(ValueError):
    """The text is not a well-formed payload, or its CRC does not match."""


def crc16_ccitt_false(data: bytes) -> str:
    """Polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR; 4 upper-case hex digits.

    `binascii.crc_hqx` is exactly this CRC when started at 0xFFFF."""
    return f"{binascii.crc_hqx(data, 0xFFFF):04X}"


def encode(objects: Iterable[tuple[str, str]]) -> str:
    """Join data objects and append the CRC object; lengths count characters, as EMVCo says."""
    parts = []
    for object_id, value in objects:
        if len(object_id) != 2 or not object_id.isdigit():
            raise PayloadError(f"Object id {object_id!r} is not two digits.")
        if len(value) > 99:
            raise PayloadError(f"Object {object_id} is longer than 99 characters.")
        parts.append(f"{object_id}{len(value):02d}{value}")
    body = "".join(parts) + "6304"
    return body + crc16_ccitt_false(body.encode("utf-8"))


def decode(payload: str) -> list[tuple[str, str]]:
    """The data objects of a payload whose CRC matches; raises PayloadError otherwise."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise PayloadError("The payload does not end with a CRC object.")
    if crc16_ccitt_false(payload[:-4].encode("utf-8")) != payload[-4:].upper():
        raise PayloadError("The CRC does not match.")
    objects = []
    position, end = 0, len(payload) - 8
    while position < end:
        object_id, length_text = (
            payload[position : position + 2],
            payload[position + 2 : position + 4],
        )
        if not (object_id.isdigit() and length_text.isdigit()):
            raise PayloadError(f"Malformed object at character {position}.")
        length = int(length_text)
        value = payload[position + 4 : position + 4 + length]
        if len(value) != length or position + 4 + length > end:
            raise PayloadError(f"Object {object_id} runs past the end of the payload.")
        objects.append((object_id, value))
        position += 4 + length
    objects.append(("63", payload[-4:]))
    return objects
