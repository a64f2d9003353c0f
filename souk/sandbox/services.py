"""What the sandbox processor and wallet decide: Souk's stand-ins for CMI and a mobile wallet.

They speak exactly the protocols of souk/payments/gateways (the same cmi_protocol and emv_qr
code signs and reads), sign only with their own public keys (souk/sandbox/keys.py, never the
settings), and move no real money. A card number is only ever held in memory for one request:
it is never stored or logged, only masked. The wallet's part is souk/sandbox/wallet.py.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from souk.payments.gateways import cmi_protocol
from souk.sandbox import keys, tasks
from souk.sandbox.models import (
    ProcessorTransaction,
    TransactionType,
)

# Documented test cards (docs/payments.md); every other Luhn-valid number is declined (05).
APPROVED_VISA = "4000000000000010"
APPROVED_MASTERCARD = "5453010000066100"
APPROVED_CARDS = {APPROVED_VISA: "VISA", APPROVED_MASTERCARD: "MASTERCARD"}
DECLINED_CARD = "4000000000000002"
THREE_D_SECURE_CARD = "5191630100004896"
THREE_D_SECURE_CODE = "123"
INSUFFICIENT_FUNDS_CARD = "4000000000009995"
# Approved, but the processor "times out": no callback now, one late callback only.
TIMEOUT_CARD = "4000000000000119"
# The late callback of the timeout card comes this long after the merchant's page session ends.
TIMEOUT_EXTRA_SECONDS = 60
# Every documented test card (the sandbox page lists them; the no-card-data test pays with each).
TEST_CARDS = {
    "approved_visa": APPROVED_VISA,
    "approved_mastercard": APPROVED_MASTERCARD,
    "declined": DECLINED_CARD,
    "insufficient_funds": INSUFFICIENT_FUNDS_CARD,
    "three_d_secure": THREE_D_SECURE_CARD,
    "timeout": TIMEOUT_CARD,
}
# The processor's decline of a second purchase on an order id it already approved.
DUPLICATE_ORDER_CODE = "99"
DUPLICATE_ORDER_MESSAGE = "Order already approved (duplicate oid)"
_SESSION_SALT = "souk.sandbox.cmi"
_SESSION_MAX_AGE = 2700


class SandboxRefused(Exception):
    """The merchant's request is not signed or not readable; the message is shown on the
    sandbox's pages, in the visitor's language."""


def mask_card(number: str) -> str:
    """`4000000000000010` → `400000***0010`, as CMI shows it."""
    digits = "".join(character for character in number if character.isdigit())
    return f"{digits[:6]}***{digits[-4:]}" if len(digits) >= 10 else "***"


def passes_luhn(digits: str) -> bool:
    """The card number's check digit (ISO/IEC 7812) is right."""
    if not digits.isdigit():
        return False
    total = 0
    for position, character in enumerate(reversed(digits)):
        value = int(character)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def open_session(fields: Mapping[str, str]) -> str:
    """Check the merchant's HASH and keep its fields in a signed token for the next pages."""
    if not cmi_protocol.verify_response(fields, keys.CMI_STORE_KEY):
        raise SandboxRefused(_("The request's HASH does not match the store key."))
    if str(fields.get("clientid", "")) != str(settings.CMI_CLIENT_ID):
        raise SandboxRefused(_("Unknown clientid."))
    return signing.dumps(dict(fields), salt=_SESSION_SALT)


def read_session(token: str) -> dict[str, str]:
    """The merchant's signed fields kept by open_session; raises SandboxRefused."""
    data = _load(token, salt=_SESSION_SALT)
    return {str(name): str(value) for name, value in dict(data).items()}


def _load(token: str, *, salt: str) -> Any:
    try:
        return signing.loads(token, salt=salt, max_age=_SESSION_MAX_AGE)
    except signing.BadSignature as error:
        raise SandboxRefused(_("The payment session expired or was altered.")) from error


@dataclass(frozen=True, slots=True)
class Delivery:
    """How the processor sends its callback: once or twice, now or after a delay."""

    times: int = 1
    delay_seconds: int = 0


def three_d_secure_session(fields: Mapping[str, str], masked_pan: str, delivery: Delivery) -> str:
    return signing.dumps(
        {
            "fields": dict(fields),
            "masked_pan": masked_pan,
            "times": delivery.times,
            "delay_seconds": delivery.delay_seconds,
        },
        salt=_SESSION_SALT + ".3ds",
    )


@dataclass(frozen=True, slots=True)
class GateResult:
    """Where the browser goes next and with which signed fields."""

    url: str
    fields: dict[str, str]
    is_approved: bool
    # The timeout card: the browser is not sent back (the processor "hangs").
    is_timed_out: bool = False


def _digits(length: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(length))


def _enqueue_callback(url: str, fields: dict[str, str], delivery: Delivery) -> None:
    task = tasks.deliver_cmi_callback
    if delivery.delay_seconds:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delivery.delay_seconds))
    for _time in range(delivery.times):
        task.enqueue(url, fields)


def _result(
    merchant_fields: Mapping[str, str],
    *,
    masked_pan: str,
    brand: str,
    return_code: str,
    md_status: str,
    delivery: Delivery,
    error: str = "",
    md_error: str = "",
    is_timed_out: bool = False,
) -> GateResult:
    approved = return_code == "00" and md_status in cmi_protocol.AUTHENTICATED_MD_STATUSES
    if approved and is_approved_order(merchant_fields.get("oid", "")):
        # Like the real processor: an order id is approved once; a second purchase on it (the
        # same pay form submitted from two tabs) is declined before the card is charged.
        return _result(
            merchant_fields,
            masked_pan=masked_pan,
            brand=brand,
            return_code=DUPLICATE_ORDER_CODE,
            md_status=md_status,
            delivery=delivery,
            error=DUPLICATE_ORDER_MESSAGE,
        )
    fields = {
        name: value
        for name, value in merchant_fields.items()
        if name.lower() not in ("hash", "encoding", "maskedcreditcard")
    }
    fields.update(
        {
            "Response": (
                "Approved"
                if approved
                else ("Error" if return_code in ("", DUPLICATE_ORDER_CODE) else "Declined")
            ),
            "AuthCode": _digits(6) if approved else "",
            "TransId": f"SBX{_digits(12)}",
            "HostRefNum": _digits(12) if return_code else "",
            "mdStatus": md_status,
            "maskedCreditCard": masked_pan,
            "EXTRA.TRXDATE": timezone.localtime().strftime("%Y%m%d %H:%M:%S"),
            "EXTRA.CARDBRAND": brand,
            "ErrMsg": error,
            "mdErrorMsg": md_error,
            "ReturnOid": merchant_fields.get("oid", ""),
            # Always sent, empty when 3-D Secure failed before the card was asked.
            "ProcReturnCode": return_code,
        }
    )
    fields["HASH"] = cmi_protocol.compute_hash(fields, keys.CMI_STORE_KEY)
    if approved:
        journal_purchase(
            oid=fields.get("oid", ""),
            trans_id=fields["TransId"],
            auth_code=fields["AuthCode"],
            amount=cmi_protocol.parse_amount(fields.get("amount", "")) or 0,
            currency=fields.get("currency", ""),
            card_brand=brand,
            masked_pan=masked_pan,
        )
    callback_url = merchant_fields.get("callbackUrl") or merchant_fields.get("CallbackURL", "")
    if callback_url:
        # After commit, like the real processor: the merchant hears from the server first or
        # from the browser first; it must cope with both orders.
        transaction.on_commit(partial(_enqueue_callback, callback_url, fields, delivery))
    url = merchant_fields["okUrl"] if approved else merchant_fields["failUrl"]
    return GateResult(url=url, fields=fields, is_approved=approved, is_timed_out=is_timed_out)


def is_approved_order(oid: str) -> bool:
    """Whether the processor already approved a purchase on this order id."""
    return ProcessorTransaction.objects.filter(oid=oid, type=TransactionType.PURCHASE).exists()


def journal_purchase(
    *,
    oid: str,
    trans_id: str,
    auth_code: str,
    amount: int,
    currency: str,
    card_brand: str,
    masked_pan: str,
) -> ProcessorTransaction:
    """Write an approved purchase (a pre-authorisation, not captured yet) in the processor's
    own books: the status query answers from them and the settlement file is written from
    them."""
    return ProcessorTransaction.objects.create(
        oid=oid[:64],
        trans_id=trans_id[:64],
        auth_code=auth_code[:16],
        type=TransactionType.PURCHASE,
        amount=amount,
        currency=currency[:3],
        card_brand=card_brand[:16],
        masked_pan=masked_pan[:24],
    )


def pay_with_card(
    session: str, *, card_number: str, delivery: Delivery = Delivery()
) -> GateResult | str:
    """Decide a card payment: the result, or (3-D Secure card) the token of the code page.

    The number (already checked by the card form) lives only in this call: the result, the
    journal and the callback carry the masked number."""
    fields = read_session(session)
    digits = "".join(character for character in card_number if character.isdigit())
    masked = mask_card(digits)
    if digits == THREE_D_SECURE_CARD:
        return three_d_secure_session(fields, masked, delivery)
    if digits in APPROVED_CARDS:
        return _result(
            fields,
            masked_pan=masked,
            brand=APPROVED_CARDS[digits],
            return_code="00",
            md_status="1",
            delivery=delivery,
        )
    if digits == TIMEOUT_CARD:
        session_seconds = int(fields.get("sessionTimeout", "") or _SESSION_MAX_AGE)
        late = Delivery(times=1, delay_seconds=session_seconds + TIMEOUT_EXTRA_SECONDS)
        return _result(
            fields,
            masked_pan=masked,
            brand="VISA",
            return_code="00",
            md_status="1",
            delivery=late,
            is_timed_out=True,
        )
    if digits == INSUFFICIENT_FUNDS_CARD:
        return _result(
            fields,
            masked_pan=masked,
            brand="VISA",
            return_code="51",
            md_status="1",
            delivery=delivery,
            error="Insufficient funds",
        )
    return _result(
        fields,
        masked_pan=masked,
        brand="",
        return_code="05",
        md_status="1",
        delivery=delivery,
        error="Do not honour",
    )


def confirm_three_d_secure(session: str, *, code: str) -> GateResult:
    data = _load(session, salt=_SESSION_SALT + ".3ds")
    try:
        fields = {str(name): str(value) for name, value in dict(data["fields"]).items()}
        masked = str(data["masked_pan"])
        delivery = Delivery(times=int(data["times"]), delay_seconds=int(data["delay_seconds"]))
    except (KeyError, TypeError, ValueError) as error:
        raise SandboxRefused(_("The payment session expired or was altered.")) from error
    if code.strip() == THREE_D_SECURE_CODE:
        return _result(
            fields,
            masked_pan=masked,
            brand="MASTERCARD",
            return_code="00",
            md_status="1",
            delivery=delivery,
        )
    return _result(
        fields,
        masked_pan=masked,
        brand="MASTERCARD",
        return_code="",
        md_status="0",
        delivery=delivery,
        md_error="Authentication failed",
    )
