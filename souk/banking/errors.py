"""Errors of the banking app: one subclass per condition, each with a translated message."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError, IllegalTransition


class BankingError(DomainError):
    code = "banking_error"


class NotAnOfficer(BankingError):
    code = "not_a_bank_officer"
    http_status = 403
    message = _("Only an officer of this bank can do this.")


class OfferNotEditable(BankingError):
    code = "offer_not_editable"
    http_status = 409
    message = _("This offer can be changed only while it is a draft or after it was refused.")


class IllegalOfferTransition(BankingError, IllegalTransition):
    code = "illegal_offer_transition"
    http_status = 409
    message = _("This step is not possible for the offer in its current status.")


class OfferMoveNotAllowed(BankingError, IllegalTransition):
    code = "offer_move_not_allowed"
    http_status = 403
    message = _("You may not take this step on the offer.")


class OfferRefusalReasonRequired(BankingError, IllegalTransition):
    code = "offer_refusal_reason_required"
    http_status = 400
    message = _("Say why the offer is refused.")


# -- applications and consent --------------------------------------------------------------


class OfferNotOpenToYou(BankingError):
    code = "offer_not_open_to_you"
    http_status = 409
    message = _("This offer is not open to your shop: check what is missing on the offers page.")


class NothingShared(BankingError):
    code = "nothing_shared"
    http_status = 400
    message = _("Choose at least one line to share with the bank.")


class LineNotAvailable(BankingError):
    code = "share_line_not_available"
    http_status = 400
    message = _("Your shop has no bank account (RIB) to share.")


class AlreadyApplied(BankingError):
    code = "already_applied"
    http_status = 409
    message = _("You already have an open application to this offer.")


class AmountOutOfRange(BankingError):
    code = "amount_out_of_range"
    http_status = 400
    message = _("The amount must be more than zero and at most the offer's largest amount.")


class ConsentNotActive(BankingError):
    code = "consent_not_active"
    http_status = 409
    message = _("The artisan's consent was withdrawn or has ended: nothing shared can be used.")


class ApplicationClosed(BankingError):
    code = "application_closed"
    http_status = 409
    message = _("This application is closed: no more messages.")


class FundingNotForThisOffer(BankingError):
    code = "funding_not_for_this_offer"
    http_status = 409
    message = _("Only credit and advances are funded.")


class IllegalApplicationTransition(BankingError, IllegalTransition):
    code = "illegal_application_transition"
    http_status = 409
    message = _("This step is not possible for the application in its current status.")


class ApplicationMoveNotAllowed(BankingError, IllegalTransition):
    code = "application_move_not_allowed"
    http_status = 403
    message = _("You may not take this step on the application.")


class ApplicationReasonRequired(BankingError, IllegalTransition):
    code = "application_reason_required"
    http_status = 400
    message = _("Say why: the artisan reads it.")


class ConsentDurationOutOfRange(BankingError):
    code = "consent_duration_out_of_range"
    http_status = 400
    message = _("Share for one day at least and 365 days at most.")


class EmptyMessage(BankingError):
    code = "empty_message"
    http_status = 400
    message = _("Write your message.")


class AdvanceAlreadyRunning(BankingError):
    code = "advance_already_running"
    http_status = 409
    message = _("This shop is still repaying an advance: fund another once it is repaid.")


class InvalidAdvanceTerms(BankingError):
    code = "invalid_advance_terms"
    http_status = 422
    message = _(
        "An advance needs a positive principal, a fee of zero or more and a share withheld "
        "above 0% and at most 100%."
    )


class BankAccountMissing(BankingError):
    code = "bank_settlement_account_missing"
    http_status = 409
    message = _("Give the bank's settlement RIB before funding an advance: repayments go there.")


class AdvanceNotRepaying(BankingError):
    code = "advance_not_repaying"
    http_status = 409
    message = _("This advance is no longer being repaid.")


class NothingToRepay(BankingError):
    code = "nothing_to_repay"
    http_status = 422
    message = _("There is nothing available to repay with, or nothing left to repay.")


class NotYourAdvance(BankingError):
    code = "not_your_advance"
    http_status = 404
    message = _("No such advance.")


class BalanceTooShort(BankingError):
    code = "balance_too_short"
    http_status = 422
    message = _("Your available balance is too short to repay that amount now.")


class LogoTooLarge(BankingError):
    code = "logo_too_large"
    http_status = 413
    message = _("A logo may weigh at most 1 MB.")


class LogoTooManyPixels(BankingError):
    code = "logo_too_many_pixels"
    http_status = 413
    message = _("A logo may be at most 2000 pixels wide and high.")
