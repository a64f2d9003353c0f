"""Why a step of the artisan's path was refused."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


class OnboardingError(DomainError):
    code = "onboarding_error"


class WrongCode(OnboardingError):
    code = "wrong_phone_code"
    message = _("This code is not the one we sent. Check the SMS and try again.")


class CodeExpired(OnboardingError):
    code = "phone_code_expired"
    http_status = 409
    message = _("This code has expired or was typed wrong too often. Ask for a new one.")


class ResendTooSoon(OnboardingError):
    code = "phone_code_resend_too_soon"
    http_status = 429
    message = _("A code was sent less than a minute ago. Wait a moment before asking again.")


class TooManyCodes(OnboardingError):
    code = "too_many_phone_codes"
    http_status = 429
    message = _("Too many codes were sent to this phone. Ask support to check your number.")


class PhotoMissing(OnboardingError):
    code = "first_piece_photo_missing"
    message = _("Add a photo of the piece.")


class NoShopYet(OnboardingError):
    code = "no_shop_yet"
    http_status = 409
    message = _("Link your register entry first.")
