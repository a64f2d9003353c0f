"""Errors of the register app: why a claim was refused.

The messages never say which of the register number or the CIN was wrong, so that nobody can
learn from the answers which register numbers exist (see docs/shops.md, "Claiming").
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


class RegistryError(DomainError):
    code = "registry_error"


class ClaimRefused(RegistryError):
    """A claim attempt that did not link the account; every one is counted by the throttle."""

    code = "claim_refused"


class ClaimDetailsDoNotMatch(ClaimRefused):
    """Unknown number, wrong CIN or an entry that is not active: one answer for all three."""

    code = "claim_details_do_not_match"
    message = _("These details do not match an active register entry.")


class EntryAlreadyClaimed(ClaimRefused):
    """Said only once the CIN matched, so it reveals nothing to someone guessing numbers."""

    code = "entry_already_claimed"
    http_status = 409
    message = _("This entry is already linked to another account. Contact support.")


class AccountAlreadyLinked(ClaimRefused):
    code = "account_already_linked"
    http_status = 409
    message = _("Your account is already linked to a register entry.")


class ClaimsThrottled(ClaimRefused):
    """Too many failed attempts lately, by this account or from this address."""

    code = "claims_throttled"
    http_status = 429

    def __init__(self, *, retry_at: datetime) -> None:
        self.retry_at = retry_at
        # Built in the language of the request that made the attempt (the service runs in it).
        message = gettext(
            "Too many unsuccessful attempts. For your security, try again after %(time)s."
        ) % {"time": time_format(timezone.localtime(retry_at), "H:i")}
        super().__init__(message, detail={"retry_at": retry_at.isoformat()})
