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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

STORE_TYPE = "3D_PAY_HOSTING"
HASH_ALGORITHM = "ver3"
CURRENCY_CODES = {"MAD": "504", "EUR": "978", "USD": "840"}
# Fields never signed: the signature itself and the page encoding.
UNSIGNED_FIELDS = frozenset({"hash", "encoding"})
# 3-D Secure results that count as authenticated (full or attempted), per the processor's guide.
AUTHENTICATED_MD_STATUSES = frozenset({"1", "2", "3", "4"})


class CallbackReply(StrEnum):
    """The bare text the processor expects in the body of our answer to its callback."""

    CAPTURE = "ACTION=POSTAUTH"  # approved: capture now
    ACKNOWLEDGED = "APPROVED"  # a failed attempt, received
    FAILURE = "FAILURE"  # we could not verify or process it


def _natural_key(name: str) -> list[int | str]:
    # PHP natcasesort: case-insensitive, runs of digits compared as numbers.
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name.lower())]


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
    """Whether a callback or browser return carries a valid `HASH` (constant-time compare)."""
    received = next((value for name, value in params.items() if name.lower() == "hash"), "")
    if not received:
        return False
    cleaned = {name: _response_value(value) for name, value in params.items()}
    return hmac.compare_digest(compute_hash(cleaned, store_key), received.strip())


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
        "currency": CURRENCY_CODES[request.currency],
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
    """What a verified callback says. Approved means `ProcReturnCode` 00, `Response` Approved
    and, when 3-D Secure ran, an authenticated `mdStatus`."""
    code = params.get("ProcReturnCode", "")
    md_status = params.get("mdStatus", "")
    approved = (
        code == "00"
        and params.get("Response", "Approved") == "Approved"
        and (not md_status or md_status in AUTHENTICATED_MD_STATUSES)
    )
    return CallbackResult(
        order_id=params.get("oid") or params.get("ReturnOid", ""),
        amount_minor=parse_amount(params.get("amount", "")),
        outcome=Outcome.APPROVED if approved else Outcome.DECLINED,
        return_code=code,
        message=params.get("ErrMsg") or params.get("mdErrorMsg") or params.get("MdErrorMsg", ""),
        transaction_id=params.get("TransId", ""),
    )
