"""The replies artisans text back, posted by the SMS provider: `{"from": "+2126...", "text":
"STOP"}` signed in X-Sms-Signature (core.signatures, SOUK_SMS_REPLY_SECRET). STOP stops the
nudges; an appointment's 4-digit code confirms it (nudges.receive_sms_reply)."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from souk.core import signatures
from souk.support import nudges

SIGNATURE_HEADER = "X-Sms-Signature"
logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def sms_reply(request: HttpRequest) -> JsonResponse:
    """One reply: 403 unless signed, 400 unless readable; else what it did."""
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
        message = json.loads(body)
        phone, text = str(message["from"]), str(message["text"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "malformed"}, status=400)
    return JsonResponse({"result": str(nudges.receive_sms_reply(phone=phone, text=text))})
