"""Sending text messages: a small Protocol and the backends for development and tests.

The backend is named by settings.SMS_BACKEND (a dotted path), like EMAIL_BACKEND: the console
one prints, the file one appends JSON lines to settings.SMS_FILE_PATH, the local-memory one
keeps messages in `outbox` for tests. A provider's backend implements the same `send`.
"""

from __future__ import annotations

import json
import sys
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO, cast

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsBackend(Protocol):
    def send(self, *, to: str, text: str) -> str:
        """Send `text` to the E.164 number `to`; returns the message's id."""
        ...


@dataclass(frozen=True, slots=True)
class SmsMessage:
    id: str
    to: str
    text: str


def _new_message_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


class ConsoleSmsBackend:
    """Prints each message to stdout, as Django's console email backend does."""

    _lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, *, to: str, text: str) -> str:
        message_id = _new_message_id("console")
        with self._lock:
            self.stream.write(f"SMS {message_id}\nTo: {to}\n\n{text}\n{'-' * 79}\n")
            self.stream.flush()
        return message_id


class FileSmsBackend:
    """Appends each message as one JSON line to settings.SMS_FILE_PATH."""

    _lock = threading.Lock()

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path if path is not None else settings.SMS_FILE_PATH)

    def send(self, *, to: str, text: str) -> str:
        message_id = _new_message_id("file")
        line = json.dumps(
            {"id": message_id, "to": to, "text": text, "sent_at": timezone.now().isoformat()},
            ensure_ascii=False,
        )
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        return message_id


# Messages sent through LocmemSmsBackend, oldest first; tests empty it between them.
outbox: list[SmsMessage] = []


class LocmemSmsBackend:
    """Keeps each message in the module's `outbox`, for tests."""

    def send(self, *, to: str, text: str) -> str:
        message = SmsMessage(id=_new_message_id("locmem"), to=to, text=text)
        outbox.append(message)
        return message.id


def get_sms_backend() -> SmsBackend:
    """A new instance of the backend named by settings.SMS_BACKEND."""
    backend_class = import_string(settings.SMS_BACKEND)
    return cast(SmsBackend, backend_class())
