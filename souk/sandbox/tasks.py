"""The sandbox's deliveries to the merchant: the processor's and the wallet's callbacks, and
the carrier's tracking events."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlencode

from django.utils import timezone
from django_tasks import task

from souk.core import periodic, signatures
from souk.payments.gateways import cmi_protocol, http, wallet
from souk.sandbox import carrier, keys
from souk.sandbox.models import ProcessorTransaction, TransactionType

logger = logging.getLogger("souk.sandbox")


@task()
def deliver_cmi_callback(url: str, fields: dict[str, str]) -> str:
    """POST the signed result fields to the merchant's callbackUrl; the merchant's reply text."""
    status, answer = http.post(
        url,
        body=urlencode(fields).encode("utf-8"),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=10,
    )
    reply = answer.decode("utf-8", "replace").strip()
    logger.info("Sandbox CMI callback for %s: HTTP %s, %r", fields.get("oid"), status, reply)
    if reply == cmi_protocol.CallbackReply.CAPTURE:
        # The merchant captured the pre-authorisation: the purchase will be settled.
        ProcessorTransaction.objects.filter(
            trans_id=fields.get("TransId", ""),
            type=TransactionType.PURCHASE,
            captured_at__isnull=True,
        ).update(captured_at=timezone.now())
    return reply


@task()
def deliver_wallet_callback(url: str, body: str) -> str:
    """POST the wallet's JSON callback, signed when it leaves with the sandbox wallet's own
    secret; the merchant's reply text."""
    data = body.encode("utf-8")
    signature = signatures.sign(data, secret=keys.WALLET_CALLBACK_SECRET)
    status, answer = http.post(
        url,
        body=data,
        headers={"Content-Type": "application/json", wallet.SIGNATURE_HEADER: signature},
        timeout=10,
    )
    reply = answer.decode("utf-8", "replace").strip()
    logger.info("Sandbox wallet callback: HTTP %s, %r", status, reply)
    return reply


@periodic.every(timedelta(minutes=1), name="shipping.advance_sandbox_parcels")
@task()
def advance_sandbox_parcels() -> int:
    """Send the sandbox carrier's due tracking events (nothing unless SOUK_SANDBOX)."""
    return carrier.advance_parcels()
