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
