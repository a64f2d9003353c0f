"""Errors of the support app: one subclass per condition, each with a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError, IllegalTransition


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


class AssistanceNotAllowed(SupportError):
    """The advisor may not act for this artisan now: never allowed, refused, ended, expired,
    or the advisor no longer follows them."""

    code = "assistance_not_allowed"
    http_status = 403
    message = _(
        "You may not act for this artisan: their permission has ended, expired or was never given."
    )


class AssistanceNotFound(SupportError):
    code = "assistance_not_found"
    http_status = 404
    message = _("This request was not found, or it was already answered.")


class WrongAssistanceCode(SupportError):
    code = "wrong_assistance_code"
    http_status = 400
    message = _("This code is wrong or too old. Ask the artisan to read the last SMS again.")


class NoPhoneForCode(SupportError):
    code = "no_phone_for_code"
    http_status = 409
    message = _("This artisan has no phone number: ask them to allow you in the app.")


class LessonNotFound(SupportError):
    code = "lesson_not_found"
    http_status = 404
    message = _("This lesson does not exist.")


class HelpRequestNotFound(SupportError):
    code = "help_request_not_found"
    http_status = 404
    message = _("This help request does not exist.")


class TooManyHelpRequests(SupportError):
    code = "too_many_help_requests"
    http_status = 409
    message = _("You already have three requests waiting. Your advisor will answer them first.")


class InvalidHelpRequest(SupportError):
    code = "invalid_help_request"
    http_status = 400
    message = _("Choose a topic, a way to help you and at least one time that suits you.")


class AppointmentInThePast(SupportError):
    code = "appointment_in_the_past"
    http_status = 400
    message = _("Choose a moment in the future for the appointment.")


class WrongConfirmationCode(SupportError):
    code = "wrong_confirmation_code"
    http_status = 400
    message = _("This code does not match the appointment proposed.")


class IllegalHelpMove(IllegalTransition):
    code = "illegal_help_move"
    message = _("This request cannot be changed that way now.")


class HelpMoveNotAllowed(IllegalTransition):
    code = "help_move_not_allowed"
    http_status = 403
    message = _("You cannot change this request that way.")


class HelpOutcomeRequired(IllegalTransition):
    code = "help_outcome_required"
    http_status = 400
    message = _("Say what was done before closing the request.")
