"""The card processor's hosted-payment protocol (CMI, a NestPay "3D Pay Hosting" gateway).

Pure functions, no Django: the signed form the buyer's browser posts to the processor, the
"ver3" hash that signs requests and responses, and the reading of the server-to-server
callback with the exact reply text the processor expects. The adapter (gateway) and the
sandbox both use this module, so the sandbox speaks exactly what the real gateway checks.
Reference: ../shared/reference/payments.md §2.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from souk.core.money import NUMERIC_CODES

STORE_TYPE = "3D_PAY_HOSTING"
HASH_ALGORITHM = "ver3"
# Fields never signed: the signature itself and the page encoding.
UNSIGNED_FIELDS = frozenset({"hash", "encoding"})
# 3-D Secure results that count as authenticated (full or attempted), per the processor's guide.
AUTHENTICATED_MD_STATUSES = frozenset({"1", "2", "3", "4"})

# The fields of our payment form (build_form_fields) that the processor posts back, signed, in
# its callback and browser return, besides its own.
REQUEST_ECHO_FIELDS = frozenset(
    {
        "clientid",
        "storetype",
        "TranType",
        "amount",
        "currency",
        "oid",
        "okUrl",
        "failUrl",
        "callbackUrl",
        "shopurl",
        "lang",
        "email",
        "BillToName",
        "rnd",
        "hashAlgorithm",
        "sessionTimeout",
    }
)
# The processor's own answer, by its exact names: every callback carries them.
RESPONSE_FIELDS = frozenset({"ProcReturnCode", "Response", "mdStatus", "TransId", "HASH"})
# Documented response fields that may or may not come (reference §2.5); any other name is not
# the processor's and the message is refused.
OPTIONAL_RESPONSE_FIELDS = frozenset(
    {
        "AuthCode",
        "HostRefNum",
        "ErrMsg",
        "mdErrorMsg",
        "MdErrorMsg",
        "eci",
        "cavv",
        "xid",
        "md",
        "txstatus",
        "PAResSyntaxOK",
        "ParesVerified",
        "Version",
        "sID",
        "merchantID",
        "maskedCreditCard",
        "MaskedPan",
        "EXTRA.TRXDATE",
        "EXTRA.CARDBRAND",
        "EXTRA.CARDISSUER",
        "EXTRA.HOSTMSG",
        "ReturnOid",
        "ClientIp",
        "HASHPARAMS",
        "HASHPARAMSVAL",
        "encoding",
    }
)
REQUIRED_CALLBACK_FIELDS = REQUEST_ECHO_FIELDS | RESPONSE_FIELDS
KNOWN_CALLBACK_FIELDS = REQUIRED_CALLBACK_FIELDS | OPTIONAL_RESPONSE_FIELDS
# How much of each name goes into a log line or a rejection record.
LOGGED_NAME_LENGTH = 40
LOGGED_NAME_COUNT = 60


class CallbackReply(StrEnum):
    """The bare text the processor expects in the body of our answer to its callback."""

    CAPTURE = "ACTION=POSTAUTH"  # approved: capture now
    ACKNOWLEDGED = "APPROVED"  # a failed attempt, received
    FAILURE = "FAILURE"  # we could not verify or process it


def _natural_key(name: str) -> list[int | str]:
    # PHP natcasesort: case-insensitive, runs of digits compared as numbers. Only 0-9 are
    # digits, as in PHP: `²` stays text (`'²'.isdigit()` is True but int() refuses it). The
    # split alternates text and digit runs, so two keys compare text with text, int with int.
    parts = re.split(r"([0-9]+)", name.lower())
    return [int(part) if index % 2 else part for index, part in enumerate(parts)]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def hash_plaintext(params: Mapping[str, str], store_key: str) -> str:
    """The text that is hashed: every signed value, in natural case-insensitive name order,
    escaped and followed by `|`, then the escaped store key."""
    names = sorted(
        (name for name in params if name.lower() not in UNSIGNED_FIELDS), key=_natural_key
    )
    return "".join(_escape(str(params[name]).strip()) + "|" for name in names) + _escape(store_key)


def compute_hash(params: Mapping[str, str], store_key: str) -> str:
    """`HASH` = base64 of the raw SHA-512 digest of `hash_plaintext` (UTF-8)."""
    digest = hashlib.sha512(hash_plaintext(params, store_key).encode("utf-8")).digest()
    return base64.b64encode(digest).decode("ascii")


def _response_value(value: str) -> str:
    # The processor's kit decodes HTML entities and drops one trailing newline on responses.
    decoded = html.unescape(value)
    return decoded[:-1] if decoded.endswith("\n") else decoded


def verify_response(params: Mapping[str, str], store_key: str) -> bool:
    """Whether a callback or browser return carries a valid `HASH` (constant-time compare).

    Any text may come in `HASH`: it is compared as UTF-8 bytes, since compare_digest refuses
    a str that is not ASCII (a TypeError, not an answer)."""
    received = next((value for name, value in params.items() if name.lower() == "hash"), "")
    if not received:
        return False
    cleaned = {name: _response_value(value) for name, value in params.items()}
    expected = compute_hash(cleaned, store_key).encode("ascii")
    return hmac.compare_digest(expected, received.strip().encode("utf-8", "replace"))


def escape_names(names: Iterable[str]) -> str:
    """Field names for a log line or a record: escaped (a newline cannot start a forged line),
    each cut to LOGGED_NAME_LENGTH characters, at most LOGGED_NAME_COUNT of them."""
    shown = [
        name[:LOGGED_NAME_LENGTH].encode("unicode_escape").decode("ascii")
        for name in list(names)[:LOGGED_NAME_COUNT]
    ]
    return ", ".join(shown)


def refusal_of_names(names: Iterable[str]) -> str:
    """Why these posted field names are not a processor's callback, or "" when they are.

    The hash signs values only, and our own payment form is signed with the same key: a copy of
    that form with renamed fields would verify. So a callback is read only when it has every
    field we sign in the form (the processor echoes them) and the processor's answer fields,
    all by their exact names, and nothing else: a genuine callback then has more signed values
    than any form we sign, and no renamed form can carry its hash. Names repeated, even in
    another case, are refused too."""
    seen: set[str] = set()
    present: set[str] = set()
    for name in names:
        if name.lower() in seen:
            return "repeated field name"
        seen.add(name.lower())
        if name not in KNOWN_CALLBACK_FIELDS:
            return "unknown field name"
        present.add(name)
    if REQUIRED_CALLBACK_FIELDS - present:
        return "missing field"
    return ""


def format_amount(minor_units: int) -> str:
    """`12050` centimes -> `120.50`: dot, two decimals, as the form requires."""
    if minor_units < 0:
        raise ValueError("A payment amount cannot be negative.")
    return f"{minor_units // 100}.{minor_units % 100:02d}"


def parse_amount(text: str) -> int | None:
    """`250`, `250.0` and `250.00` are the same amount: minor units, or None if unreadable."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return int(value * 100)


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """What Souk asks the processor to charge for one payment attempt."""

    client_id: str
    order_id: str  # `oid`: unique per attempt, no whitespace, at most 64 characters
    amount_minor: int
    currency: str
    ok_url: str
    fail_url: str
    callback_url: str
    shop_url: str
    language: str
    email: str
    bill_to_name: str
    random: str
    # `sessionTimeout`, the page's session (30 to 2700 s); not sent when None.
    session_seconds: int | None = None
    transaction_type: str = "PreAuth"


def build_form_fields(request: PaymentRequest, store_key: str) -> dict[str, str]:
    """The hidden fields of the auto-submitted form, `HASH` included."""
    if not request.order_id or len(request.order_id) > 64 or re.search(r"\s", request.order_id):
        raise ValueError("oid must be 1 to 64 characters without spaces.")
    fields = {
        "clientid": request.client_id,
        "storetype": STORE_TYPE,
        "TranType": request.transaction_type,
        "amount": format_amount(request.amount_minor),
        "currency": NUMERIC_CODES[request.currency],
        "oid": request.order_id,
        "okUrl": request.ok_url,
        "failUrl": request.fail_url,
        "callbackUrl": request.callback_url,
        "shopurl": request.shop_url,
        "lang": request.language if request.language in {"fr", "ar", "en"} else "fr",
        "email": request.email,
        "BillToName": request.bill_to_name,
        "rnd": request.random,
        "hashAlgorithm": HASH_ALGORITHM,
        "encoding": "UTF-8",
    }
    if request.session_seconds is not None:
        fields["sessionTimeout"] = str(request.session_seconds)
    fields["HASH"] = compute_hash(fields, store_key)
    return fields


class Outcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"


@dataclass(frozen=True, slots=True)
class CallbackResult:
    order_id: str
    amount_minor: int | None
    outcome: Outcome
    return_code: str
    message: str
    transaction_id: str


def read_callback(params: Mapping[str, str]) -> CallbackResult:
    """What a verified callback with the processor's field names says. Approved means
    `ProcReturnCode` 00, `Response` Approved, an authenticated `mdStatus` and an `AuthCode`;
    anything else (a missing `Response` included) is declined."""
    code = params.get("ProcReturnCode", "")
    approved = (
        code == "00"
        and params.get("Response", "") == "Approved"
        and params.get("mdStatus", "") in AUTHENTICATED_MD_STATUSES
        and bool(params.get("AuthCode", "").strip())
    )
    return CallbackResult(
        order_id=params.get("oid", ""),
        amount_minor=parse_amount(params.get("amount", "")),
        outcome=Outcome.APPROVED if approved else Outcome.DECLINED,
        return_code=code,
        message=params.get("ErrMsg") or params.get("mdErrorMsg") or params.get("MdErrorMsg", ""),
        transaction_id=params.get("TransId", ""),
    )
