"""Errors of notifications.

They are mistakes of the calling code or of a provider, not business refusals shown to a person,
so none is a DomainError: they surface as a 500 or a failed task, with a traceback.
"""

from __future__ import annotations


class UnknownNotificationKind(LookupError):
    """`notify` was given a kind whose templates notifications/<kind>/*.txt do not all exist."""

    def __init__(self, kind: str, missing: str = "") -> None:
        self.kind = kind
        self.missing = missing
        detail = f" ({missing} not found)" if missing else ""
        super().__init__(
            f"Unknown notification kind {kind!r}{detail}: notifications/{kind}/subject.txt, "
            "body.txt and sms.txt must exist (kinds are lowercase letters, digits and _)."
        )


class NotificationNotSent(Exception):
    """An email or SMS copy could not be sent; it stays unstamped, the other channel was tried."""
