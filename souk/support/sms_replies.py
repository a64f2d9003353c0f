"""The SMS replies artisans text back, stored first, then handled (docs/support.md).

`store` keeps the gateway's post as it came (its own transaction, committed before anything is
done with it); `handle` then runs it through `nudges.receive_sms_reply` (STOP, an appointment's
code) under the row's lock, once: a reply already handled is not handled again, whatever the
gateway retries. A handling error is caught, the row marked failed with the error, and the
task `support.handle_sms_replies` tries the unhandled ones again (at most MAX_ATTEMPTS)."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from souk.support import nudges
from souk.support.sms_models import SmsReply, SmsReplyStatus

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# A reply still "received" after this long was left by a crash between storing and handling.
LEFT_AFTER = datetime.timedelta(minutes=5)


class Malformed(ValueError):
    """The body is not a reply: JSON with "from" and "text" (and "id", the gateway's)."""


@dataclass(frozen=True, slots=True)
class Incoming:
    message_id: str
    sender: str
    text: str


def parse(body: bytes) -> Incoming:
    """`{"id": "…", "from": "+2126…", "text": "STOP"}`; without an id, the body's digest
    stands for it (the same post retried is the same reply)."""
    try:
        message = json.loads(body)
        sender, text = str(message["from"]), str(message["text"])
        message_id = str(message.get("id") or "")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise Malformed(str(error)) from error
    if not message_id:
        message_id = "sha256:" + hashlib.sha256(body).hexdigest()[:64]
    return Incoming(message_id=message_id[:100], sender=sender[:32], text=text)


def store(body: bytes, incoming: Incoming) -> SmsReply:
    """Keep the reply (committed at once); the row already kept when the gateway retries."""
    try:
        with transaction.atomic():
            return SmsReply.objects.create(
                message_id=incoming.message_id,
                sender=incoming.sender,
                text=incoming.text,
                raw=body.decode("utf-8", "replace"),
            )
    except IntegrityError:
        return SmsReply.objects.get(message_id=incoming.message_id)


def handle(reply_id: int) -> SmsReply:
    """Handle a kept reply once: STOP, an appointment's code, or left for a person. An error
    leaves it failed (with the error) for a later try; a handled reply is returned as it is."""
    with transaction.atomic():
        reply = SmsReply.objects.select_for_update().get(pk=reply_id)
        if reply.status == SmsReplyStatus.HANDLED:
            return reply
        reply.attempts += 1
        try:
            with transaction.atomic():
                result = nudges.receive_sms_reply(phone=reply.sender, text=reply.text)
        except Exception as error:  # kept on the row, tried again by the task
            logger.exception("SMS reply %s could not be handled", reply.message_id)
            reply.status = SmsReplyStatus.FAILED
            reply.error = f"{type(error).__name__}: {error}"[:2000]
        else:
            reply.status = SmsReplyStatus.HANDLED
            reply.result = str(result)
            reply.handled_at = timezone.now()
            reply.error = ""
        reply.save(update_fields=["attempts", "status", "result", "handled_at", "error"])
        return reply


def handle_left_over(*, now: datetime.datetime | None = None) -> int:
    """The replies not handled yet: failed ones (fewer than MAX_ATTEMPTS tries) and received
    ones left by a crash; how many are handled now."""
    now = now or timezone.now()
    pending = (
        SmsReply.objects.exclude(status=SmsReplyStatus.HANDLED)
        .filter(attempts__lt=MAX_ATTEMPTS)
        .exclude(status=SmsReplyStatus.RECEIVED, received_at__gt=now - LEFT_AFTER)
        .order_by("received_at")
        .values_list("pk", flat=True)
    )
    return sum(handle(pk).status == SmsReplyStatus.HANDLED for pk in list(pending[:1000]))
