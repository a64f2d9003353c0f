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
    """Too many failures lately: from this address, or on this account (then `retry_after`)."""

    code = "login_throttled"
    http_status = 429
    message = _(
        "Too many failed attempts to log in. For your security, wait 15 minutes, or reset "
        "your password."
    )

    def __init__(self, *, retry_after: int | None = None) -> None:
        self.retry_after = retry_after
        if retry_after is None:
            super().__init__()
            return
        super().__init__(
            _(
                "Too many failed attempts to log in. For your security, wait %(seconds)s "
                "seconds before trying again, or reset your password."
            )
            % {"seconds": retry_after}
        )


class PasswordResetThrottled(AccountError):
    code = "password_reset_throttled"
    http_status = 429
    message = _("Too many password reset requests. Wait an hour before asking again.")


class GuestCheckoutThrottled(AccountError):
    code = "guest_checkout_throttled"
    http_status = 429
    message = _("Too many orders without an account from here. Wait an hour, or log in to order.")
