"""Errors of the accounts app."""

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


class AccountError(DomainError):
    code = "account_error"


class RoleNotSelfService(AccountError):
    code = "role_not_self_service"
    http_status = 403
    message = _("This role is granted by an administrator, not chosen at sign-up.")


class LoginThrottled(AccountError):
    code = "login_throttled"
    http_status = 429
    message = _(
        "Too many failed attempts to log in. For your security, wait 15 minutes, or reset "
        "your password."
    )
