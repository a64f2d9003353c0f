"""Errors of carts, checkout and orders: one subclass per condition, with a message for people."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from souk.core.errors import (
    DomainError,
    IllegalTransition,
    TransitionNotAllowedForRole,
    TransitionReasonRequired,
)


class OrderError(DomainError):
    code = "order_error"


class ProductUnavailable(OrderError):
    code = "product_unavailable"
    http_status = 409
    message = _("This work is no longer for sale.")


class InsufficientStock(OrderError):
    code = "insufficient_stock"
    http_status = 409
    message = _("Not enough of this work is left in stock for the quantity asked.")


class InvalidQuantity(OrderError):
    code = "invalid_quantity"
    message = _("Choose a quantity between 1 and 99.")


class CartEmpty(OrderError):
    code = "cart_empty"
    http_status = 409
    message = _("Your cart is empty.")


class CartChanged(OrderError):
    code = "cart_changed"
    http_status = 409
    message = _(
        "Some prices or availability changed since you added the works to your cart. "
        "Look at the cart again before paying."
    )


class CashOnDeliveryNotAllowed(OrderError):
    code = "cash_on_delivery_not_allowed"
    http_status = 409
    message = _("Cash on delivery is possible only in Morocco and up to %(limit)s.")


class CashOnDeliveryNeedsAccount(OrderError):
    code = "cash_on_delivery_needs_account"
    http_status = 409
    message = _(
        "Cash on delivery needs an account: log in or sign up (your cart is kept), or pay by "
        "card or mobile wallet."
    )


class IllegalOrderTransition(OrderError, IllegalTransition):
    code = "illegal_order_transition"
    http_status = 409
    message = _("This step is not possible for the order in its current status.")


class NotAllowedForRole(OrderError, TransitionNotAllowedForRole):
    code = "not_allowed_for_role"
    http_status = 403
    message = _("You cannot take this step on this order.")


class ReasonRequired(OrderError, TransitionReasonRequired):
    code = "order_reason_required"
    message = _("Write the reason: the other party will read it.")


class ReceiptTooEarly(OrderError):
    code = "receipt_too_early"
    http_status = 409
    message = _(
        "You can say you received the parcel once the carrier is delivering it, or from "
        "%(date)s if the carrier tells us nothing."
    )


class ReturnWindowClosed(OrderError):
    code = "return_window_closed"
    http_status = 409
    message = _("The time to ask for a return of this parcel has passed.")


class MessageEmpty(OrderError):
    code = "message_empty"
    message = _("Write a message first.")


class OrderNotPayable(OrderError):
    code = "order_not_payable"
    http_status = 409
    message = _("This order cannot be paid any more. Your cart still has its works.")


class VariantRequired(OrderError):
    code = "variant_required"
    message = _("Choose a variant.")


class ParcelChangedSinceRefundAsked(OrderError):
    code = "parcel_changed_since_refund_asked"
    http_status = 409
    message = _(
        "This parcel changed since the refund was asked for: nothing was given back. "
        "Reject the request and ask again if the refund is still right."
    )


class RefundNeedsApproval(OrderError):
    code = "refund_needs_approval"
    http_status = 403
    message = _("A refund of this size needs the approval of a second person.")


class RefundApprovedByRequester(OrderError):
    code = "refund_approved_by_requester"
    http_status = 403
    message = _("Another person must approve or reject a refund you asked for.")
