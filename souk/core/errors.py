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
