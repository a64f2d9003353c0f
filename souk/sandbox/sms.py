"""The sandbox's text messages: printed to the console and kept for the outbox page.

With SOUK_SANDBOX on (and SMS_BACKEND not set), every text message, the sign-up's code among
them, is printed as before and appended to settings.SOUK_SANDBOX_SMS_PATH (JSON lines, the file
backend's format), which `/sandbox/sms/` shows, so that a demo is followed in the browser. Who
sees what is decided in `list_messages` (docs/decisions.md).
"""

from __future__ import annotations

import datetime
import json
from collections import deque
from dataclasses import dataclass

from django.conf import settings
from django.utils.dateparse import parse_datetime

from souk.accounts.models import User
from souk.notifications.sms import ConsoleSmsBackend, FileSmsBackend

OUTBOX_SIZE = 20


class SandboxSmsBackend:
    """Prints each message (ConsoleSmsBackend) and keeps it for the outbox page."""

    def send(self, *, to: str, text: str) -> str:
        ConsoleSmsBackend().send(to=to, text=text)
        return FileSmsBackend(settings.SOUK_SANDBOX_SMS_PATH).send(to=to, text=text)


@dataclass(frozen=True, slots=True)
class SentSms:
    to: str
    text: str
    sent_at: datetime.datetime | None


def list_messages(*, user: User, limit: int = OUTBOX_SIZE) -> list[SentSms]:
    """The last messages sent, newest first: all of them for staff, else only those sent to
    the user's own phone (a demo visitor reads their own code, never another's)."""
    path = settings.SOUK_SANDBOX_SMS_PATH
    if not path.exists():
        return []
    wanted = None if user.is_staff else (user.phone or "")
    if wanted == "":
        return []
    kept: deque[SentSms] = deque(maxlen=limit)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if wanted is not None and row.get("to") != wanted:
                continue
            kept.append(
                SentSms(
                    to=str(row.get("to", "")),
                    text=str(row.get("text", "")),
                    sent_at=parse_datetime(str(row.get("sent_at", ""))),
                )
            )
    return list(reversed(kept))
