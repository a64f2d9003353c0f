"""Refusals of the second factor, each with the message the person reads."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.accounts.errors import AccountError


class SecondFactorError(AccountError):
    code = "second_factor_error"


class WrongCode(SecondFactorError):
    code = "wrong_code"
    message = _("This code is not right, or it was already used. Enter the current code.")


class WrongPassword(SecondFactorError):
    code = "wrong_password"
    message = _("This password or code is not right.")


class TooManyAttempts(SecondFactorError):
    """`detail` holds the seconds to wait."""

    code = "too_many_second_factor_attempts"
    http_status = 429
    message = _("Too many wrong attempts. For your security, wait a moment and try again.")


class AlreadyEnrolled(SecondFactorError):
    code = "second_factor_already_enrolled"
    http_status = 409
    message = _("Two-step verification is already on for this account.")


class NotEnrolled(SecondFactorError):
    code = "second_factor_not_enrolled"
    http_status = 409
    message = _("Two-step verification is not on for this account.")


class SecondFactorRequired(SecondFactorError):
    code = "second_factor_required"
    http_status = 403
    message = _("Staff accounts must keep two-step verification on.")


class ReauthenticationRequired(SecondFactorError):
    code = "reauthentication_required"
    http_status = 403
    message = _(
        "For your security, confirm your password (and your code) before this change, "
        "then try again."
    )
