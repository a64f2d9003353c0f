"""Errors of payouts. Each means nothing was changed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError, IllegalTransition


class PayoutError(DomainError):
    code = "payout_error"
    http_status = 409


class IllegalPayoutTransition(PayoutError, IllegalTransition):
    code = "illegal_payout_transition"
    message = _("This payout cannot make that move from its current status.")


class WalletPayoutFailed(PayoutError):
    """The wallet provider did not take the payout; it stays created and is sent again by the
    next run."""

    code = "wallet_payout_failed"
    http_status = 503
    message = _("The mobile wallet service did not accept the payout; it will be tried again.")


class PayoutStatusFileInvalid(PayoutError):
    """The bank's status report cannot be read: nothing in it was applied."""

    code = "payout_status_file_invalid"
    http_status = 400
    message = _("This payout status file cannot be read.")

    def __init__(self, problems: list[str]) -> None:
        super().__init__(detail={"problems": problems})
        self.problems = problems
