"""The sandbox processor's back-office API: a merchant's `CC5Request` answered from the
processor's own journal (ProcessorTransaction), in the XML of souk/payments/gateways/cmi_api.py.

Simulated: `Credit` (a refund, never more than what is left of the order's purchases),
`PostAuth` (the capture of an approved purchase, for the same amount) and the order status
query (`<Extra><ORDERSTATUS>QUERY</ORDERSTATUS></Extra>`). Credentials are the configured
CMI_API_USER / CMI_API_PASSWORD / CMI_CLIENT_ID.
"""

from __future__ import annotations

import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from souk.payments.gateways import cmi_api, cmi_protocol
from souk.sandbox import keys
from souk.sandbox.models import ProcessorTransaction, TransactionType

UNKNOWN_ORDER_MESSAGE = "No such order"


def _digits(length: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(length))


def _error(code: str, message: str, *, order_id: str = "", response: str = "Error") -> bytes:
    return cmi_api.build_answer(
        response=response, return_code=code, message=message, order_id=order_id
    )


def _same(text: str, expected: str) -> bool:
    return hmac.compare_digest(text.encode("utf-8"), expected.encode("utf-8"))


def answer_api_request(body: bytes) -> bytes:
    """The CC5Response to a merchant's CC5Request."""
    try:
        request = cmi_api.parse_request(body)
    except cmi_api.AnswerUnreadable:
        return _error("99", "Not a CC5Request")
    if not (
        _same(request.name, str(settings.CMI_API_USER))
        and _same(request.password, keys.CMI_API_PASSWORD)
        and request.client_id == str(settings.CMI_CLIENT_ID)
    ):
        return _error("99", "Invalid credentials")
    oid = request.order_id[:64]
    if request.is_status_query:
        return _order_status(oid)
    if request.transaction_type == "Credit":
        return _credit(oid, request)
    if request.transaction_type == "PostAuth":
        return _post_auth(oid, request)
    return _error("99", "Only Credit, PostAuth and the status query are simulated")


def _purchase(oid: str) -> ProcessorTransaction | None:
    return (
        ProcessorTransaction.objects.select_for_update()
        .filter(oid=oid, type=TransactionType.PURCHASE)
        .order_by("created_at", "id")
        .first()
    )


def _order_status(oid: str) -> bytes:
    purchase = (
        ProcessorTransaction.objects.filter(oid=oid, type=TransactionType.PURCHASE)
        .order_by("created_at", "id")
        .first()
    )
    if purchase is None:
        return _error("99", UNKNOWN_ORDER_MESSAGE, order_id=oid, response="Declined")
    return cmi_api.build_answer(
        response="Approved",
        return_code="00",
        order_id=oid,
        transaction_id=purchase.trans_id,
        auth_code=purchase.auth_code,
        status={
            "ORD_ID": oid,
            "CHARGE_TYPE_CD": "S",
            "ORIG_TRANS_AMT": str(purchase.amount),
            "CAPTURE_AMT": str(purchase.amount if purchase.captured_at else 0),
            "TRANS_STAT": cmi_api.APPROVED_TRANSACTION,
            "TRANS_ID": purchase.trans_id,
            "AUTH_CODE": purchase.auth_code,
            "CURRENCY": purchase.currency,
        },
    )


def _post_auth(oid: str, request: cmi_api.ApiRequest) -> bytes:
    amount = cmi_protocol.parse_amount(request.total)
    with transaction.atomic():
        purchase = _purchase(oid)
        if purchase is None:
            return _error("99", UNKNOWN_ORDER_MESSAGE, order_id=oid, response="Declined")
        if amount != purchase.amount or (request.currency or "504") != purchase.currency:
            return _error("12", "Invalid transaction", order_id=oid, response="Declined")
        if purchase.captured_at is None:
            purchase.captured_at = timezone.now()
            purchase.save(update_fields=["captured_at"])
    # A second PostAuth of a captured purchase is answered as the first: nothing more taken.
    return cmi_api.build_answer(
        response="Approved",
        return_code="00",
        order_id=oid,
        transaction_id=purchase.trans_id,
        auth_code=purchase.auth_code,
    )


def _credit(oid: str, request: cmi_api.ApiRequest) -> bytes:
    amount = cmi_protocol.parse_amount(request.total)
    if not oid or not amount:
        return _error("12", "Invalid transaction", order_id=oid, response="Declined")
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
                return _error(
                    "12", "Amount above what is left to refund", order_id=oid, response="Declined"
                )
        purchase = purchases[0] if purchases else None
        refund = ProcessorTransaction.objects.create(
            oid=oid,
            trans_id=f"SBX{_digits(12)}",
            type=TransactionType.REFUND,
            amount=amount,
            currency=(request.currency or "504")[:3],
            card_brand=purchase.card_brand if purchase else "",
            masked_pan=purchase.masked_pan if purchase else "",
        )
    return cmi_api.build_answer(
        response="Approved", return_code="00", order_id=oid, transaction_id=refund.trans_id
    )
