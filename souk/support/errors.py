"""Errors of the support app: one subclass per condition, each with a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


class SupportError(DomainError):
    code = "support_error"


class NoAdvisorAvailable(SupportError):
    code = "no_advisor_available"
    http_status = 409
    message = _("No other advisor is available for now. Try again later.")


class NotFollowed(SupportError):
    code = "not_followed"
    http_status = 404
    message = _("This artisan is not in your portfolio.")
