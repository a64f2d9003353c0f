"""Card payments through CMI's hosted page (3D Pay Hosting); status, capture and refunds
through its back-office API.

The buyer's browser posts a signed form (PreAuth) to CMI_GATEWAY_URL; CMI calls our callback
server to server. A callback is read only when it has the processor's field names, exactly,
and our store's HASH; before an approval is captured (our answer `ACTION=POSTAUTH`) the
processor's order status query must confirm it (fetch_status). The periodic repair captures a
confirmed approval whose callback never came with `PostAuth` (capture). Refunds are `Credit`.
The protocol itself (hash, fields, replies) is cmi_protocol.py, the API's XML cmi_api.py; this
module adds our URLs, settings and HTTP. Reference: ../shared/reference/payments.md §2.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from souk.core.money import NUMERIC_CODES
from souk.payments.gateways import cmi_api, cmi_protocol, http
from souk.payments.gateways.base import (
    AttemptContext,
    CallbackOutcome,
    CallbackResult,
    CaptureRequest,
    CaptureResult,
    GatewayError,
    PaymentStart,
    RefundRequest,
    RefundResult,
    Verdict,
    is_sandbox_url,
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


def refusal(fields: Mapping[str, str]) -> str:
    """Why fields posted as CMI's (callback or browser return) are not read, or "" when they
    are the processor's names, signed with our store key, for our client id."""
    reason = cmi_protocol.refusal_of_names(fields)
    if not reason and not cmi_protocol.verify_response(fields, str(settings.CMI_STORE_KEY)):
        reason = "bad hash"
    if not reason and fields["clientid"] != str(settings.CMI_CLIENT_ID):
        reason = "another client id"
    if not reason and fields.get("ReturnOid", fields["oid"]) != fields["oid"]:
        reason = "ReturnOid differs from oid"
    return reason


def verify(fields: Mapping[str, str]) -> bool:
    """Whether fields posted by CMI (a browser return) can be read (see refusal)."""
    reason = refusal(fields)
    if reason:
        # Names only, never values (they may identify the buyer), escaped: a name cannot
        # forge a log line.
        logger.warning(
            "CMI return refused (%s); fields posted: %s",
            reason,
            cmi_protocol.escape_names(fields),
        )
    return not reason


def _credentials() -> cmi_api.Credentials:
    return cmi_api.Credentials(
        name=str(settings.CMI_API_USER),
        password=str(settings.CMI_API_PASSWORD),
        client_id=str(settings.CMI_CLIENT_ID),
    )


def call_api(body: bytes) -> cmi_api.Answer:
    """POST a CC5Request to CMI_API_URL; its answer. Raises GatewayError when the API cannot
    be reached, answers an HTTP error or something unreadable, and GatewayMisconfigured when
    it is the sandbox's while the sandbox is off."""
    refuse_sandbox_url(
        str(settings.CMI_API_URL),
        setting="CMI_API_URL",
        sandbox_enabled=bool(settings.SOUK_SANDBOX),
    )
    url = str(settings.CMI_API_URL)
    if settings.SOUK_SANDBOX and is_sandbox_url(url):
        status, answer = _post_to_sandbox(url, body)
    else:
        status, answer = http.post(
            url, body=body, headers={"Content-Type": "application/xml; charset=utf-8"}
        )
    if status != 200:
        raise GatewayError(f"CMI API answered HTTP {status}")
    try:
        return cmi_api.parse_answer(answer)
    except cmi_api.AnswerUnreadable as error:
        raise GatewayError(f"CMI API answer unreadable: {error}") from error


def _post_to_sandbox(url: str, body: bytes) -> tuple[int, bytes]:
    """POST `body` to the sandbox's API view in this process: the same XML in and out as over
    HTTP. A callback that asked its own server over HTTP would wait for a second free worker
    (`make run` has one sync worker per core) and tests would need a live server."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404 as error:
        raise GatewayError(f"No sandbox API at {parts.path!r}") from error
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": parts.path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "CONTENT_TYPE": "application/xml; charset=utf-8",
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": parts.hostname or "127.0.0.1",
            "SERVER_PORT": str(parts.port or (443 if parts.scheme == "https" else 80)),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": parts.scheme or "http",
        }
    )
    try:
        response = match.func(request, *match.args, **match.kwargs)
    except Exception as error:
        # What a server error would be over HTTP: the API cannot answer now.
        raise GatewayError(f"The sandbox API failed: {type(error).__name__}") from error
    return int(response.status_code), bytes(response.content)


def status_of(answer: cmi_api.Answer, gateway_order_id: str) -> CallbackResult:
    """What a status answer says of the order, as a CallbackResult: approved only when the
    query was answered and the order's transaction is an approved one (TRANS_STAT A), with a
    transaction id and an amount; `is_captured` once its capture amount covers the amount."""
    extra = answer.extra
    amount = cmi_api.minor_units(extra.get("ORIG_TRANS_AMT", ""))
    captured = cmi_api.minor_units(extra.get("CAPTURE_AMT", "")) or 0
    transaction_id = extra.get("TRANS_ID", "") or answer.transaction_id
    approved = (
        answer.is_approved
        and extra.get("TRANS_STAT", "") == cmi_api.APPROVED_TRANSACTION
        and extra.get("ORD_ID", gateway_order_id) == gateway_order_id
        and bool(transaction_id)
        and amount is not None
    )
    return CallbackResult(
        is_signature_valid=True,
        idempotency_key=f"cmi:status:{gateway_order_id}"[:128],
        gateway_order_id=gateway_order_id,
        amount=amount,
        currency=extra.get("CURRENCY", ""),
        outcome=CallbackOutcome.APPROVED if approved else CallbackOutcome.DECLINED,
        transaction_id=transaction_id[:64],
        authorization_code=extra.get("AUTH_CODE", "")[:16],
        error_code=(extra.get("TRANS_STAT", "") or answer.return_code)[:16],
        error_message=answer.message[:255],
        is_captured=approved and amount is not None and captured >= amount > 0,
    )


def _order_operation(
    transaction_type: str, gateway_order_id: str, *, amount: int, currency: str
) -> cmi_api.Answer:
    """One back-office operation on an order (`Credit` a refund, `PostAuth` a capture)."""
    return call_api(
        cmi_api.build_request(
            _credentials(),
            order_id=gateway_order_id,
            transaction_type=transaction_type,
            total=cmi_protocol.format_amount(amount),
            currency=NUMERIC_CODES[currency],
        )
    )


class CmiGateway:
    code = CODE
    has_status_query = True
    status_decline_is_final = False  # an order the processor does not know is "declined"

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
            session_seconds=min(
                max(context.session_seconds, MIN_SESSION_SECONDS), MAX_SESSION_SECONDS
            ),
        )
        fields = cmi_protocol.build_form_fields(request, str(settings.CMI_STORE_KEY))
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
        reason = refusal(fields)
        if reason:
            return CallbackResult(is_signature_valid=False, idempotency_key=key, refusal=reason)
        result = cmi_protocol.read_callback(fields)
        return CallbackResult(
            is_signature_valid=True,
            idempotency_key=key,
            gateway_order_id=result.order_id,
            amount=result.amount_minor,
            currency=fields["currency"],
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
        answer = _order_operation(
            "Credit", request.gateway_order_id, amount=request.amount, currency=request.currency
        )
        return RefundResult(
            is_approved=answer.is_approved,
            gateway_reference=answer.transaction_id[:64],
            error_code=answer.return_code[:16],
            error_message=answer.message[:255],
        )

    def capture(self, request: CaptureRequest) -> CaptureResult:
        answer = _order_operation(
            "PostAuth", request.gateway_order_id, amount=request.amount, currency=request.currency
        )
        return CaptureResult(
            is_approved=answer.is_approved,
            gateway_reference=answer.transaction_id[:64],
            error_code=answer.return_code[:16],
            error_message=answer.message[:255],
        )

    def fetch_status(self, gateway_order_id: str) -> CallbackResult | None:
        """The processor's own word on the order (the ORDERSTATUS query); never None: an
        order it does not know is a declined status. Raises GatewayError when unreachable."""
        answer = call_api(
            cmi_api.build_request(_credentials(), order_id=gateway_order_id, status_query=True)
        )
        return status_of(answer, gateway_order_id)
