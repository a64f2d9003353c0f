"""The base of every business error: a stable code, an HTTP status and a translated message."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule said no. Each app's errors.py declares one subclass per condition."""

    code: str = "domain_error"
    http_status: int = 400
    message: str | Promise = _("This action is not allowed.")

    def __init__(self, message: str | Promise | None = None, *, detail: object = None) -> None:
        if message is not None:
            self.message = message
        self.detail = detail
        super().__init__(str(self.message))


class IllegalTransition(DomainError):
    """A status move that the aggregate's table does not allow from where it stands.

    Every app's Illegal*Transition subclasses it, so one handler can treat them all alike."""

    code = "illegal_transition"
    http_status = 409


class TransitionNotAllowedForRole(IllegalTransition):
    """The move exists from this status, but not for the role the actor claims (or holds)."""

    code = "transition_not_allowed_for_role"
    http_status = 403


class TransitionReasonRequired(IllegalTransition):
    """The table says this move needs a reason, and none was given."""

    code = "transition_reason_required"
    http_status = 400
