"""Mobile-wallet payments: a dynamic EMVCo QR code, or a push request to the buyer's phone.

The MarocPay specification is not public, so this is Souk's own protocol, documented in
docs/payments.md and spoken by the sandbox wallet (souk/sandbox):

- QR: an EMVCo merchant-presented payload (emv_qr.py) for the exact amount: template 26 with
  the globally unique id WALLET_GUI and our merchant id, MCC 5970, currency 504, country MA,
  merchant name and city, and in template 62 the attempt's id (bill number, 01) and the order
  reference (reference label, 05).
- Push: POST JSON to WALLET_API_URL + "/push", signed like callbacks.
- Status: POST JSON `{"merchant_id", "bill_number"}` to WALLET_API_URL + "/status", signed like
  callbacks; the answer says `pending`, `approved` (with amount, currency, transaction_id),
  `rejected` or `unknown`. The answer is authenticated by the wallet's TLS certificate.
- Callback: POST JSON to our callback URL; header `X-Wallet-Signature` is
  `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">` with WALLET_CALLBACK_SECRET (or, while it
  changes, WALLET_CALLBACK_PREVIOUS_SECRET), accepted within five minutes (souk/core/
  signatures.py). Each callback has an `event_id`, the inbox key.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from souk.core import signatures
from souk.core.money import NUMERIC_CODES
from souk.payments.gateways import cmi_protocol, emv_qr, http
from souk.payments.gateways.base import (
    AttemptContext,
    CallbackOutcome,
    CallbackResult,
    GatewayError,
    PaymentStart,
    RefundRequest,
    RefundResult,
    Verdict,
    refuse_sandbox_url,
)

CODE = "wallet"
WALLET_GUI = "MA.SOUK.WALLET"
MERCHANT_CATEGORY_CRAFTS = "5970"
COUNTRY = "MA"
SIGNATURE_HEADER = "X-Wallet-Signature"
logger = logging.getLogger("souk.payments")


def sign(body: bytes) -> str:
    """The signature header of a request to the wallet, stamped now, with our current secret."""
    return signatures.sign(body, secret=str(settings.WALLET_CALLBACK_SECRET))


def accepted_secrets() -> list[str]:
    """The secrets the wallet may sign with: the current one, and the previous one while it
    changes (an empty one is never used)."""
    return [str(settings.WALLET_CALLBACK_SECRET), str(settings.WALLET_CALLBACK_PREVIOUS_SECRET)]


def check_signature(body: bytes, header: str) -> None:
    """Raise signatures.SignatureRefused unless `header` signs `body` within five minutes."""
    signatures.verify(body, header, secrets=accepted_secrets())


def qr_payload(*, bill_number: str, order_reference: str, amount: int, currency: str) -> str:
    """The EMVCo payload of one attempt, CRC included."""
    merchant_account = emv_qr.encode([("00", WALLET_GUI), ("01", str(settings.WALLET_MERCHANT_ID))])
    # The template's own CRC object is not part of a nested template.
    merchant_account = merchant_account[:-8]
    additional = emv_qr.encode([("01", bill_number[:25]), ("05", order_reference[:25])])[:-8]
    return emv_qr.encode(
        [
            ("00", "01"),
            ("01", "12"),  # dynamic: this amount, this transaction
            ("26", merchant_account),
            ("52", MERCHANT_CATEGORY_CRAFTS),
            ("53", NUMERIC_CODES[currency]),
            ("54", cmi_protocol.format_amount(amount)),
            ("58", COUNTRY),
            ("59", str(settings.PAYMENTS_MERCHANT_NAME)[:25]),
            ("60", str(settings.PAYMENTS_MERCHANT_CITY)[:15]),
            ("62", additional),
        ]
    )


def app_link(payload: str) -> str:
    """The link that opens the wallet app on this phone with the payment filled in (an https
    app link, as real wallets publish; the sandbox wallet's page in the sandbox)."""
    return str(settings.WALLET_APP_URL) + "?" + urlencode({"payload": payload})


def callback_url() -> str:
    site = str(settings.SOUK_SITE_URL).rstrip("/")
    return site + reverse("payment_callbacks:wallet_callback")


def request_push(
    *, bill_number: str, order_reference: str, amount: int, currency: str, phone: str
) -> str:
    """Ask the wallet to show a payment request on `phone`; the wallet's request id. Raises
    GatewayError when the wallet refuses or cannot be reached."""
    refuse_sandbox_url(
        str(settings.WALLET_API_URL),
        setting="WALLET_API_URL",
        sandbox_enabled=bool(settings.SOUK_SANDBOX),
    )
    body = json.dumps(
        {
            "merchant_id": str(settings.WALLET_MERCHANT_ID),
            "merchant_name": str(settings.PAYMENTS_MERCHANT_NAME),
            "bill_number": bill_number,
            "reference": order_reference,
            "amount": cmi_protocol.format_amount(amount),
            "currency": NUMERIC_CODES[currency],
            "phone": phone,
            "callback_url": callback_url(),
        },
        separators=(",", ":"),
    ).encode("utf-8")
    status, answer = http.post(
        str(settings.WALLET_API_URL).rstrip("/") + "/push",
        body=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body)},
    )
    if status not in (200, 201, 202):
        raise GatewayError(f"The wallet answered HTTP {status}")
    try:
        return str(json.loads(answer)["request_id"])
    except (ValueError, KeyError, TypeError) as error:
        raise GatewayError("The wallet's answer is unreadable") from error


def mask_phone(phone: str) -> str:
    return phone[:4] + "*" * max(len(phone) - 6, 0) + phone[-2:] if len(phone) > 6 else "***"


class WalletGateway:
    code = CODE
    has_status_query = True
    status_decline_is_final = True  # "rejected" is the holder's refusal; unknown is None

    def check_configuration(self) -> None:
        refuse_sandbox_url(
            str(settings.WALLET_API_URL),
            setting="WALLET_API_URL",
            sandbox_enabled=bool(settings.SOUK_SANDBOX),
        )

    def start_payment(self, context: AttemptContext) -> PaymentStart:
        return PaymentStart(
            kind="qr",
            gateway_order_id=context.gateway_order_id,
            qr_payload=qr_payload(
                bill_number=context.gateway_order_id,
                order_reference=context.order_reference,
                amount=context.amount,
                currency=context.currency,
            ),
            amount=context.amount,
            currency=context.currency,
        )

    def read_callback(
        self, *, fields: Mapping[str, str], body: bytes, signature: str
    ) -> CallbackResult:
        digest = hashlib.sha256(body).hexdigest()
        try:
            check_signature(body, signature)
        except signatures.SignatureRefused as refusal:
            logger.warning("Wallet callback refused (%d bytes): %s", len(body), refusal)
            return CallbackResult(
                is_signature_valid=False,
                idempotency_key=f"wallet:body:{digest}",
                error_message=str(refusal)[:255],
            )
        try:
            data: Any = json.loads(body)
            if not isinstance(data, dict):
                raise TypeError("not an object")
            event_id = str(data["event_id"])
            status = str(data["status"])
        except (ValueError, KeyError, TypeError):
            logger.warning("Wallet callback signed but unreadable (%d bytes)", len(body))
            return CallbackResult(is_signature_valid=True, idempotency_key=f"wallet:body:{digest}")
        return CallbackResult(
            is_signature_valid=True,
            idempotency_key=f"wallet:{event_id}"[:128],
            gateway_order_id=str(data.get("bill_number", "")),
            amount=cmi_protocol.parse_amount(str(data.get("amount", ""))),
            currency=str(data.get("currency", "")),
            outcome=CallbackOutcome.APPROVED if status == "approved" else CallbackOutcome.DECLINED,
            transaction_id=str(data.get("transaction_id", ""))[:64],
            error_code="" if status == "approved" else status[:16],
            error_message=str(data.get("message", ""))[:255],
        )

    def reply(self, verdict: Verdict) -> str:
        return "rejected" if verdict == Verdict.REJECTED else "ok"

    def refund(self, request: RefundRequest) -> RefundResult:
        # The wallet's refund call is not specified yet: refunds of wallet payments are manual
        # (docs/payments.md, "Not built").
        raise GatewayError("Wallet refunds are not available; refund by bank transfer.")

    def fetch_status(self, gateway_order_id: str) -> CallbackResult | None:
        """What the wallet says of one attempt (its bill number): approved or rejected, or None
        while it is pending or unknown to the wallet. Raises GatewayError when the wallet
        cannot be reached or answers something unreadable."""
        return fetch_status(gateway_order_id)


def fetch_status(gateway_order_id: str) -> CallbackResult | None:
    """Ask the wallet's status endpoint about one bill number (see WalletGateway.fetch_status)."""
    refuse_sandbox_url(
        str(settings.WALLET_API_URL),
        setting="WALLET_API_URL",
        sandbox_enabled=bool(settings.SOUK_SANDBOX),
    )
    body = json.dumps(
        {"merchant_id": str(settings.WALLET_MERCHANT_ID), "bill_number": gateway_order_id},
        separators=(",", ":"),
    ).encode("utf-8")
    status, answer = http.post(
        str(settings.WALLET_API_URL).rstrip("/") + "/status",
        body=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body)},
    )
    if status != 200:
        raise GatewayError(f"The wallet answered HTTP {status} to a status query")
    try:
        data: Any = json.loads(answer)
        state = str(data["status"])
        bill_number = str(data["bill_number"])
    except (ValueError, KeyError, TypeError) as error:
        raise GatewayError("The wallet's status answer is unreadable") from error
    if bill_number != gateway_order_id:
        raise GatewayError("The wallet answered about another bill number")
    if state not in ("approved", "rejected"):
        return None
    transaction_id = str(data.get("transaction_id", ""))[:64]
    approved = state == "approved"
    return CallbackResult(
        is_signature_valid=True,
        idempotency_key=f"wallet:status:{gateway_order_id}:{state}:{transaction_id}"[:128],
        gateway_order_id=gateway_order_id,
        amount=cmi_protocol.parse_amount(str(data.get("amount", ""))),
        currency=str(data.get("currency", "")),
        outcome=CallbackOutcome.APPROVED if approved else CallbackOutcome.DECLINED,
        transaction_id=transaction_id,
        error_code="" if approved else state[:16],
        error_message=str(data.get("message", ""))[:255],
    )
