"""Errors of payments: one subclass per condition, with a message for people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import DomainError, IllegalTransition

# Raised by orders' four-eyes rule on parcels, and by refunds here.
from souk.orders.errors import RefundApprovedByRequester, RefundNeedsApproval

__all__ = ["RefundApprovedByRequester", "RefundNeedsApproval"]


class PaymentError(DomainError):
    code = "payment_error"


class PaymentNotPossible(PaymentError):
    code = "payment_not_possible"
    http_status = 409
    message = _("This order is not waiting for a payment.")


class PaymentMethodMismatch(PaymentError):
    code = "payment_method_mismatch"
    http_status = 409
    message = _("This order is paid another way.")


class WalletPhoneInvalid(PaymentError):
    code = "wallet_phone_invalid"
    message = _("Enter the mobile number of your wallet, for example +212 6 12 34 56 78.")


class GatewayUnavailable(PaymentError):
    code = "gateway_unavailable"
    http_status = 503
    message = _("The payment service cannot be reached right now. Try again in a few minutes.")


class NothingToRefund(PaymentError):
    code = "nothing_to_refund"
    http_status = 409
    message = _("Nothing is left to refund on this parcel.")


class IllegalPaymentTransition(PaymentError, IllegalTransition):
    code = "illegal_payment_transition"
    http_status = 409
    message = _("This step is not possible for the payment in its current status.")


class PaymentsMisconfigured(PaymentError):
    code = "payments_misconfigured"
    http_status = 503
    message = _("Payments are not available right now. Try again later.")


class RefundExceedsPayment(PaymentError):
    code = "refund_exceeds_payment"
    http_status = 409
    message = _("This refund would give back more than was paid for this order.")


class RefundNotPossible(PaymentError):
    code = "refund_not_possible"
    http_status = 409
    message = _("This order has no payment to refund.")


class RefundPaymentNotRecorded(PaymentError):
    """The processor took the money but the order service has not recorded it yet
    (complete_unrecorded_payments will): a refund now would reach no parcel and no ledger."""

    code = "refund_payment_not_recorded"
    http_status = 409
    message = _("This payment is not recorded on the order yet. Try again in a few minutes.")


class RefundAmountInvalid(PaymentError):
    code = "refund_amount_invalid"
    message = _("Enter an amount above zero, in the order's currency.")


class RefundApprovalClosed(PaymentError, IllegalTransition):
    code = "refund_approval_closed"
    http_status = 409
    message = _("This refund was already approved or rejected.")


class SettlementFileRefused(PaymentError):
    code = "settlement_file_refused"
    message = _(
        "This file is not a settlement file: it needs a header with the settlement columns "
        "and one settlement date."
    )


class RemittanceFileRefused(PaymentError):
    code = "remittance_file_refused"
    message = _("This file is not a cash-on-delivery remittance file: check its header row.")


class CodRemittanceRefused(PaymentError):
    code = "cod_remittance_refused"
    http_status = 409
    message = _("This remittance line cannot be recorded.")
