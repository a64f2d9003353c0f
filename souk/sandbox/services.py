"""What the sandbox processor and wallet decide: Souk's stand-ins for CMI and a mobile wallet.

They speak exactly the protocols of souk/payments/gateways (the same cmi_protocol and emv_qr
code signs and reads), sign only with their own public keys (souk/sandbox/keys.py, never the
settings), and move no real money. A card number
is only ever held in memory for one request: it is never stored or logged, only masked.
"""

from __future__ import annotations

import json
import secrets
import uuid
import xml.etree.ElementTree as ElementTree
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

from souk.core import signatures
from souk.payments.gateways import cmi_protocol, emv_qr, wallet
from souk.sandbox import keys, tasks
from souk.sandbox.models import (
    ProcessorTransaction,
    PushStatus,
    TransactionType,
    WalletPushRequest,
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
    fields = {
        name: value
        for name, value in merchant_fields.items()
        if name.lower() not in ("hash", "encoding", "maskedcreditcard")
    }
    fields.update(
        {
            "Response": "Approved" if approved else ("Error" if not return_code else "Declined"),
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
        }
    )
    if return_code:
        fields["ProcReturnCode"] = return_code
    fields["HASH"] = cmi_protocol.compute_hash(fields, keys.CMI_STORE_KEY)
    if approved:
        # The processor's own books: what the settlement file is written from.
        ProcessorTransaction.objects.create(
            oid=fields.get("oid", "")[:64],
            trans_id=fields["TransId"],
            auth_code=fields["AuthCode"],
            type=TransactionType.PURCHASE,
            amount=cmi_protocol.parse_amount(fields.get("amount", "")) or 0,
            currency=fields.get("currency", "")[:3],
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


def answer_api_request(body: bytes) -> bytes:
    """Answer a back-office `CC5Request` (only Type Credit, a refund) with a `CC5Response`."""
    try:
        # Our own sandbox endpoint; ElementTree resolves no external entities and Django
        # bounds the request body size.
        request = ElementTree.fromstring(body)  # noqa: S314
    except ElementTree.ParseError:
        return _cc5_response("Error", "99", "Not XML")

    def text(name: str) -> str:
        return (request.findtext(name) or "").strip()

    if (
        text("Name") != str(settings.CMI_API_USER)
        or text("Password") != keys.CMI_API_PASSWORD
        or text("ClientId") != str(settings.CMI_CLIENT_ID)
    ):
        return _cc5_response("Error", "99", "Invalid credentials")
    if text("Type") != "Credit":
        return _cc5_response("Error", "99", "Only Credit is simulated")
    amount = cmi_protocol.parse_amount(text("Total"))
    oid = text("OrderId")[:64]
    if not oid or not amount:
        return _cc5_response("Declined", "12", "Invalid transaction")
    with transaction.atomic():
        purchases = list(
            ProcessorTransaction.objects.select_for_update().filter(
                oid=oid, type=TransactionType.PURCHASE
            )
        )
        if purchases:
            # Never more back than was paid, like the real processor.
            refunded = sum(
                ProcessorTransaction.objects.filter(
                    oid=oid, type=TransactionType.REFUND
                ).values_list("amount", flat=True)
            )
            if refunded + amount > sum(purchase.amount for purchase in purchases):
                return _cc5_response("Declined", "12", "Amount above what is left to refund")
        purchase = purchases[0] if purchases else None
        refund = ProcessorTransaction.objects.create(
            oid=oid,
            trans_id=f"SBX{_digits(12)}",
            type=TransactionType.REFUND,
            amount=amount,
            currency=(text("Currency") or "504")[:3],
            card_brand=purchase.card_brand if purchase else "",
            masked_pan=purchase.masked_pan if purchase else "",
        )
    return _cc5_response("Approved", "00", "", transaction_id=refund.trans_id)


def _cc5_response(response: str, code: str, message: str, *, transaction_id: str = "") -> bytes:
    root = ElementTree.Element("CC5Response")
    for name, value in (
        ("Response", response),
        ("ProcReturnCode", code),
        ("ErrMsg", message),
        ("TransId", transaction_id),
    ):
        ElementTree.SubElement(root, name).text = value
    return bytes(ElementTree.tostring(root, encoding="utf-8", xml_declaration=True))


# --- Wallet -------------------------------------------------------------------------------------


def _check_merchant_signature(body: bytes, header: str) -> None:
    """The merchant signs with the wallet's secret: the sandbox's own (souk/sandbox/keys.py)."""
    try:
        signatures.verify(body, header, secrets=[keys.WALLET_CALLBACK_SECRET])
    except signatures.SignatureRefused as refusal:
        raise SandboxRefused(str(refusal)) from refusal


def receive_push(body: bytes, signature: str) -> WalletPushRequest:
    """Store a merchant's signed push request for the wallet of its phone number."""
    _check_merchant_signature(body, signature)
    try:
        data = json.loads(body)
        amount = cmi_protocol.parse_amount(str(data["amount"]))
        if amount is None:
            raise ValueError("amount")
        return WalletPushRequest.objects.create(
            merchant_id=str(data["merchant_id"])[:32],
            merchant_name=str(data.get("merchant_name", ""))[:25],
            bill_number=str(data["bill_number"])[:64],
            reference=str(data.get("reference", ""))[:25],
            amount=amount,
            currency=str(data["currency"])[:3],
            phone=str(data["phone"])[:16],
            callback_url=str(data["callback_url"])[:300],
        )
    except (ValueError, KeyError, TypeError) as error:
        raise SandboxRefused(_("Unreadable push request.")) from error


@dataclass(frozen=True, slots=True)
class ScannedCode:
    merchant_name: str
    merchant_city: str
    amount: int | None
    currency: str
    country: str
    bill_number: str
    reference: str
    payload: str


def read_qr_payload(payload: str) -> ScannedCode:
    """What the wallet app shows after scanning; raises emv_qr.PayloadError."""
    objects = dict(emv_qr.decode(payload.strip()))
    additional = dict(emv_qr.decode(_with_crc(objects.get("62", ""))))
    return ScannedCode(
        merchant_name=objects.get("59", ""),
        merchant_city=objects.get("60", ""),
        amount=cmi_protocol.parse_amount(objects.get("54", "")),
        currency=objects.get("53", ""),
        country=objects.get("58", ""),
        bill_number=additional.get("01", ""),
        reference=additional.get("05", ""),
        payload=payload.strip(),
    )


def _with_crc(template: str) -> str:
    # A nested template has no CRC of its own; give it one to reuse the decoder.
    body = template + "6304"
    return body + emv_qr.crc16_ccitt_false(body.encode("utf-8"))


def wallet_transaction_id(push: WalletPushRequest) -> str:
    """The wallet's transaction id of an approved request, the same in callbacks and status."""
    return f"WLT{push.pk:012d}"


def _send_wallet_callback(push: WalletPushRequest) -> None:
    approve = push.status == PushStatus.APPROVED
    body = json.dumps(
        {
            "event_id": uuid.uuid4().hex,
            "merchant_id": push.merchant_id,
            "bill_number": push.bill_number,
            "reference": push.reference,
            "amount": cmi_protocol.format_amount(push.amount),
            "currency": push.currency,
            "status": "approved" if approve else "rejected",
            "transaction_id": wallet_transaction_id(push) if approve else "",
            "phone": wallet.mask_phone(push.phone),
        },
        separators=(",", ":"),
    )
    transaction.on_commit(
        partial(tasks.deliver_wallet_callback.enqueue, wallet.callback_url(), body)
    )


def decide_push(*, request_id: int, approve: bool) -> WalletPushRequest:
    """The wallet holder approves or rejects a pending push request."""
    with transaction.atomic():
        push = WalletPushRequest.objects.select_for_update().get(pk=request_id)
        if push.status != PushStatus.PENDING:
            return push
        push.status = PushStatus.APPROVED if approve else PushStatus.REJECTED
        push.decided_at = timezone.now()
        push.save(update_fields=["status", "decided_at"])
        _send_wallet_callback(push)
    return push


def decide_scanned(*, payload: str, approve: bool, phone: str) -> ScannedCode:
    """The wallet holder pays (or refuses) a scanned QR code."""
    code = read_qr_payload(payload)
    if code.amount is None:
        raise SandboxRefused(_("A static code without an amount is not simulated."))
    with transaction.atomic():
        # Kept like a decided push request, so the status endpoint can answer for it too.
        push = WalletPushRequest.objects.create(
            merchant_id=str(settings.WALLET_MERCHANT_ID)[:32],
            merchant_name=code.merchant_name[:25],
            bill_number=code.bill_number[:64],
            reference=code.reference[:25],
            amount=code.amount,
            currency=code.currency[:3],
            phone=(phone or "+212600000000")[:16],
            callback_url=wallet.callback_url()[:300],
            status=PushStatus.APPROVED if approve else PushStatus.REJECTED,
            decided_at=timezone.now(),
        )
        _send_wallet_callback(push)
    return code


def answer_status(body: bytes, signature: str) -> dict[str, str]:
    """Answer a merchant's signed status query `{"merchant_id", "bill_number"}` from the push
    requests: approved if one was, else pending if one waits, else rejected, else unknown."""
    _check_merchant_signature(body, signature)
    try:
        data = json.loads(body)
        merchant_id = str(data["merchant_id"])
        bill_number = str(data["bill_number"])
    except (ValueError, KeyError, TypeError) as error:
        raise SandboxRefused(_("Unreadable status query.")) from error
    requests = list(
        WalletPushRequest.objects.filter(merchant_id=merchant_id, bill_number=bill_number)
    )
    answer = {"merchant_id": merchant_id, "bill_number": bill_number, "status": "unknown"}
    for state in (PushStatus.APPROVED, PushStatus.PENDING, PushStatus.REJECTED):
        found = next((push for push in requests if push.status == state), None)
        if found is None:
            continue
        answer["status"] = str(state)
        if state == PushStatus.APPROVED:
            answer["amount"] = cmi_protocol.format_amount(found.amount)
            answer["currency"] = found.currency
            answer["transaction_id"] = wallet_transaction_id(found)
        break
    return answer
