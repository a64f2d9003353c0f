"""Errors of the ledger. Each means nothing was posted."""

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError


class LedgerError(DomainError):
    code = "ledger_error"
    http_status = 409


class UnknownAccount(LedgerError):
    code = "unknown_account"
    message = _("This ledger account does not exist.")


class CurrencyMismatch(LedgerError):
    code = "ledger_currency_mismatch"
    message = _("A transfer's currency must be the currency of both its accounts.")


class InvalidTransfer(LedgerError):
    code = "invalid_transfer"
    message = _("A transfer moves a positive amount between two different accounts.")


class EntryConflict(LedgerError):
    code = "entry_conflict"
    http_status = 422
    message = _("This idempotency key was already used for a different entry.")


class InsufficientBalance(LedgerError):
    code = "insufficient_balance"
    message = _("This movement would take an account below zero.")


class PendingAlreadyResolved(LedgerError):
    code = "pending_already_resolved"
    message = _("This pending entry was already posted or voided.")


class NotPending(LedgerError):
    code = "not_pending"
    message = _("This entry holds no pending transfers.")
