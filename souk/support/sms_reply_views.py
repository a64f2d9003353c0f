"""The replies artisans text back, posted by the SMS gateway: `{"id": "<gateway's message id>",
"from": "+2126...", "text": "STOP"}` signed in X-Sms-Signature (core.signatures,
SOUK_SMS_REPLY_SECRET). The reply is stored first, then handled (sms_replies.py): STOP stops
the nudges, an appointment's 4-digit code confirms it. Once stored the answer is 200, even when
handling failed (the row is kept, failed, and tried again by the task worker), so the gateway
does not post it again; a retried post answers what the first one did."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from souk.core import signatures
from souk.support import sms_replies

SIGNATURE_HEADER = "X-Sms-Signature"
logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def sms_reply(request: HttpRequest) -> JsonResponse:
    """One reply: 403 unless signed, 400 unless readable; else stored, handled, 200."""
    body = request.body
    try:
        signatures.verify(
            body,
            request.headers.get(SIGNATURE_HEADER, ""),
            secrets=[s for s in [settings.SOUK_SMS_REPLY_SECRET] if s],
        )
    except signatures.SignatureRefused as refusal:
        logger.warning("SMS reply refused: %s", refusal)
        return JsonResponse({"error": str(refusal.message)}, status=403)
    try:
        incoming = sms_replies.parse(body)
    except sms_replies.Malformed:
        return JsonResponse({"error": "malformed"}, status=400)
    reply = sms_replies.handle(sms_replies.store(body, incoming).pk)
    return JsonResponse({"result": reply.result or str(reply.status)})
