"""Payments for tests: orders started through the real services, callbacks signed like CMI's."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings

from souk.core import signatures
from souk.orders.models import Order
from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services
from souk.payments.gateways import cmi_protocol
from souk.payments.gateways.base import PaymentStart
from souk.sandbox import services as sandbox
from souk.sandbox.models import ProcessorTransaction


def start_card_payment(**options: Any) -> tuple[Order, PaymentStart]:
    order = make_unpaid_order(payment_method="card", **options)
    return order, services.start_payment(order=order, language="fr")


def cmi_callback_fields(
    start: PaymentStart,
    *,
    code: str = "00",
    md_status: str = "1",
    amount: str | None = None,
    store_key: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """What CMI posts back for this attempt: its fields echoed plus the result, signed. An
    approval is written in the sandbox processor's journal first, as the processor does when
    it approves, so its status query confirms it."""
    fields = unjournaled_cmi_callback_fields(
        start, code=code, md_status=md_status, amount=amount, store_key=store_key, **extra
    )
    if code == "00" and md_status in cmi_protocol.AUTHENTICATED_MD_STATUSES:
        journal_approval(start, transaction_id=fields["TransId"])
    return fields


def unjournaled_cmi_callback_fields(
    start: PaymentStart,
    *,
    code: str = "00",
    md_status: str = "1",
    amount: str | None = None,
    store_key: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """The callback fields alone: signed with the store key, unknown to the processor's books
    (a forged approval, or one the processor never made)."""
    fields = {name: value for name, value in start.fields.items() if name != "HASH"}
    fields.update(
        {
            "ProcReturnCode": code,
            "Response": "Approved" if code == "00" else "Declined",
            "mdStatus": md_status,
            "TransId": "T" + start.gateway_order_id,
            "AuthCode": "123456" if code == "00" else "",
            "HostRefNum": "000011112222",
            "maskedCreditCard": "400000***0010",
            "EXTRA.TRXDATE": "20250101 10:00:00",
        }
    )
    if amount is not None:
        fields["amount"] = amount
    fields.update(extra)
    fields["HASH"] = cmi_protocol.compute_hash(fields, store_key or settings.CMI_STORE_KEY)
    return fields


def journal_approval(start: PaymentStart, *, transaction_id: str) -> ProcessorTransaction:
    """The sandbox processor's record of an approved purchase for this attempt (once)."""
    existing = ProcessorTransaction.objects.filter(trans_id=transaction_id).first()
    if existing is not None:
        return existing
    return sandbox.journal_purchase(
        oid=start.gateway_order_id,
        trans_id=transaction_id,
        auth_code="123456",
        amount=cmi_protocol.parse_amount(start.fields["amount"]) or 0,
        currency=start.fields["currency"],
        card_brand="VISA",
        masked_pan="400000***0010",
    )


def wallet_body(**data: Any) -> tuple[bytes, str]:
    """A wallet callback's body and its signature header (stamped now, the current secret)."""
    return signed_wallet_body(data)


def signed_wallet_body(
    data: Mapping[str, Any], *, secret: str | None = None, timestamp: int | None = None
) -> tuple[bytes, str]:
    """A wallet callback's body signed with `secret` (default: ours) at `timestamp` (now)."""
    body = json.dumps(dict(data)).encode()
    signature = signatures.sign(
        body,
        secret=settings.WALLET_CALLBACK_SECRET if secret is None else secret,
        timestamp=timestamp,
    )
    return body, signature
