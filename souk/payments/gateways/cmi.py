"""Card payments through CMI's hosted page (3D Pay Hosting), refunds through its API.

The buyer's browser posts a signed form (PreAuth) to CMI_GATEWAY_URL; CMI calls our callback
server to server and we answer `ACTION=POSTAUTH` to capture an approved payment. Refunds are
an XML `CC5Request` of type Credit posted to CMI_API_URL. The protocol itself (hash, fields,
replies) is cmi_protocol.py; this module adds our URLs, settings and HTTP. Reference:
../shared/reference/payments.md §2.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from souk.payments.gateways import cmi_protocol, http
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

CODE = "cmi"
logger = logging.getLogger("souk.payments")

# CMI's page speaks French, Arabic and English; Spanish readers get English.
PAGE_LANGUAGES = {"fr": "fr", "ar": "ar", "en": "en", "es": "en"}
# CMI accepts a payment-page session of 30 s to 45 min.
MIN_SESSION_SECONDS, MAX_SESSION_SECONDS = 30, 2700

_REPLIES = {
    Verdict.CAPTURE: cmi_protocol.CallbackReply.CAPTURE,
    Verdict.ACKNOWLEDGED: cmi_protocol.CallbackReply.ACKNOWLEDGED,
    Verdict.REJECTED: cmi_protocol.CallbackReply.FAILURE,
}


def page_language(language: str) -> str:
    return PAGE_LANGUAGES.get(language, "fr")


def site_url(path: str) -> str:
    return f"{str(settings.SOUK_SITE_URL).rstrip('/')}{path}"


def callback_key(fields: Mapping[str, str]) -> str:
    """The inbox key of a callback: the same fields posted again give the same key."""
    canonical = json.dumps(sorted(fields.items()), ensure_ascii=False, separators=(",", ":"))
    return "cmi:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def verify(fields: Mapping[str, str]) -> bool:
    """Whether fields posted by CMI (callback or browser return) carry our store's HASH."""
    if cmi_protocol.verify_response(fields, str(settings.CMI_STORE_KEY)):
        return True
    # Names only, never values: the values may identify the buyer.
    logger.warning("CMI hash mismatch; fields posted: %s", ", ".join(sorted(fields)))
    return False


class CmiGateway:
    code = CODE

    def check_configuration(self) -> None:
        refuse_sandbox_url(
            str(settings.CMI_GATEWAY_URL),
            setting="CMI_GATEWAY_URL",
            sandbox_enabled=bool(settings.SOUK_SANDBOX),
        )

    def start_payment(self, context: AttemptContext) -> PaymentStart:
        self.check_configuration()
        with translation.override(context.language):
            ok_url = site_url(reverse("payments:cmi_ok"))
            fail_url = site_url(reverse("payments:cmi_fail"))
            shop_url = site_url(reverse("payments:pay", args=[context.order_reference]))
        request = cmi_protocol.PaymentRequest(
            client_id=str(settings.CMI_CLIENT_ID),
            order_id=context.gateway_order_id,
            amount_minor=context.amount,
            currency=context.currency,
            ok_url=ok_url,
            fail_url=fail_url,
            callback_url=site_url(reverse("payment_callbacks:cmi_callback")),
            shop_url=shop_url,
            language=page_language(context.language),
            email=context.buyer_email,
            bill_to_name=context.buyer_name,
            random=f"{time.time():.6f}",
        )
        fields = cmi_protocol.build_form_fields(request, str(settings.CMI_STORE_KEY))
        session = min(max(context.session_seconds, MIN_SESSION_SECONDS), MAX_SESSION_SECONDS)
        fields = {**fields, "sessionTimeout": str(session)}
        # Signed again: the hash covers every field posted.
        fields["HASH"] = cmi_protocol.compute_hash(fields, str(settings.CMI_STORE_KEY))
        return PaymentStart(
            kind="form_post",
            gateway_order_id=context.gateway_order_id,
            url=str(settings.CMI_GATEWAY_URL),
            fields=fields,
            amount=context.amount,
            currency=context.currency,
        )

    def read_callback(
        self, *, fields: Mapping[str, str], body: bytes, signature: str
    ) -> CallbackResult:
        key = callback_key(fields)
        if not verify(fields):
            return CallbackResult(is_signature_valid=False, idempotency_key=key)
        result = cmi_protocol.read_callback(fields)
        return CallbackResult(
            is_signature_valid=True,
            idempotency_key=key,
            gateway_order_id=result.order_id,
            amount=result.amount_minor,
            currency=fields.get("currency", ""),
            outcome=(
                CallbackOutcome.APPROVED
                if result.outcome == cmi_protocol.Outcome.APPROVED
                else CallbackOutcome.DECLINED
            ),
            transaction_id=result.transaction_id[:64],
            authorization_code=fields.get("AuthCode", "")[:16],
            host_reference=fields.get("HostRefNum", "")[:32],
            masked_pan=(fields.get("maskedCreditCard") or fields.get("MaskedPan", ""))[:24],
            error_code=result.return_code[:16],
            error_message=result.message[:255],
        )

    def reply(self, verdict: Verdict) -> str:
        return str(_REPLIES[verdict])

    def refund(self, request: RefundRequest) -> RefundResult:
        refuse_sandbox_url(
            str(settings.CMI_API_URL),
            setting="CMI_API_URL",
            sandbox_enabled=bool(settings.SOUK_SANDBOX),
        )
        root = ElementTree.Element("CC5Request")
        for name, value in (
            ("Name", str(settings.CMI_API_USER)),
            ("Password", str(settings.CMI_API_PASSWORD)),
            ("ClientId", str(settings.CMI_CLIENT_ID)),
            ("Type", "Credit"),
            ("OrderId", request.gateway_order_id),
            ("Total", cmi_protocol.format_amount(request.amount)),
            ("Currency", cmi_protocol.CURRENCY_CODES[request.currency]),
        ):
            ElementTree.SubElement(root, name).text = value
        body = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
        status, answer = http.post(
            str(settings.CMI_API_URL),
            body=body,
            headers={"Content-Type": "application/xml; charset=utf-8"},
        )
        if status != 200:
            raise GatewayError(f"CMI API answered HTTP {status}")
        return parse_cc5_response(answer)

    def fetch_status(self, gateway_order_id: str) -> CallbackResult | None:
        # The API's ORDERSTATUS query is not built yet (docs/payments.md, "Not built").
        return None


def parse_cc5_response(answer: bytes) -> RefundResult:
    """Read a `CC5Response`: Response Approved/Declined/Error, ProcReturnCode, ErrMsg, TransId."""
    try:
        # The answer comes from the configured CMI host; ElementTree resolves no external
        # entities, and the size is bounded by http.post.
        root = ElementTree.fromstring(answer)  # noqa: S314
    except ElementTree.ParseError as error:
        raise GatewayError("CMI API answer is not XML") from error
    if root.tag != "CC5Response":
        raise GatewayError(f"CMI API answered {root.tag!r}, not CC5Response")

    def text(name: str) -> str:
        return (root.findtext(name) or "").strip()

    return RefundResult(
        is_approved=text("Response") == "Approved" and text("ProcReturnCode") == "00",
        gateway_reference=text("TransId")[:64],
        error_code=text("ProcReturnCode")[:16],
        error_message=text("ErrMsg")[:255],
    )
