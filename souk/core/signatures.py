"""Timestamped HMAC signatures of webhook bodies (wallet and carriers), Stripe's scheme.

The header is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; a sender may give
several `v1` values (one per secret while it rotates), and a receiver may hold two secrets (the
current one and the previous one). A message is accepted only when one `v1` matches one secret
and `t` is within SIGNATURE_TOLERANCE_SECONDS of our clock: a captured message cannot be
replayed later, and the time cannot be changed without the secret. Reading the header never
raises anything but SignatureRefused, whose message is safe to send back.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# A message older or newer than this is refused (clocks of both sides are NTP-synchronised).
SIGNATURE_TOLERANCE_SECONDS = 300
# Longer than any genuine header (a few v1 values); anything beyond is refused unread.
MAX_HEADER_LENGTH = 1024
_HEX_DIGITS = frozenset("0123456789abcdef")


class SignatureRefused(Exception):
    """The signature is missing, unreadable, wrong or out of its time window."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode("ascii") + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def sign(body: bytes, *, secret: str, timestamp: int | None = None) -> str:
    """The signature header of `body`, stamped now (or at `timestamp`, unix seconds)."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={_digest(secret, moment, body)}"


def _parse(header: str) -> tuple[int, list[str]]:
    """The timestamp and the v1 values of a header; SignatureRefused when it is not one."""
    unreadable = SignatureRefused(_("The signature header is not readable."))
    if len(header) > MAX_HEADER_LENGTH or not header.isascii():
        raise unreadable
    timestamps: list[str] = []
    signatures: list[str] = []
    for item in header.split(","):
        name, equals, value = item.strip().partition("=")
        if not equals:
            raise unreadable
        if name == "t":
            timestamps.append(value)
        elif name == "v1":
            signatures.append(value.lower())
        # Other schemes (v0...) are ignored, as Stripe's receivers do.
    if len(timestamps) != 1 or not timestamps[0].isdigit() or len(timestamps[0]) > 12:
        raise unreadable
    valid = [value for value in signatures if len(value) == 64 and set(value) <= _HEX_DIGITS]
    if not valid:
        raise unreadable
    return int(timestamps[0]), valid


def verify(
    body: bytes,
    header: str,
    *,
    secrets: Iterable[str],
    now: float | None = None,
    tolerance_seconds: int = SIGNATURE_TOLERANCE_SECONDS,
) -> int:
    """Check `header` against `body` with any of `secrets` (empty ones are never used); the
    signed timestamp. Raises SignatureRefused saying why."""
    if not header:
        raise SignatureRefused(_("The signature header is missing."))
    timestamp, signatures = _parse(header)
    usable = [secret for secret in secrets if secret]
    if not usable:
        raise SignatureRefused(_("No secret is configured to check this signature."))
    expected = [_digest(secret, timestamp, body) for secret in usable]
    # Every pair is compared, in constant time each, so the time taken says nothing useful.
    matches = [
        hmac.compare_digest(digest, signature) for digest in expected for signature in signatures
    ]
    if not any(matches):
        raise SignatureRefused(_("The signature does not match."))
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_seconds:
        raise SignatureRefused(_("The signature is more than five minutes old or ahead."))
    return timestamp
