"""What the sandbox wallet decides: Souk's stand-in for a mobile wallet (docs/payments.md).

It speaks the protocol of souk/payments/gateways/wallet.py (the same emv_qr code reads the QR
codes), signs and checks only with its own public key (souk/sandbox/keys.py, never the
settings), and moves no real money. Push requests, and the QR codes a holder pays or refuses,
are kept as WalletPushRequest rows: the status endpoint answers from them.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from souk.core import signatures
from souk.payments.gateways import cmi_protocol, emv_qr, wallet
from souk.sandbox import keys, tasks
from souk.sandbox.models import PushStatus, WalletPushRequest
from souk.sandbox.services import SandboxRefused


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
