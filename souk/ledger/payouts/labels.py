"""Movements in words: each transfer's event code (and where its money went) as a sentence in
the reader's language. Call inside the page's or document's language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from souk.ledger.models import PayoutStatus
from souk.ledger.payouts.selectors import Movement


def movement_label(movement: Movement) -> str:
    """ "Payment received for parcel SK-7K3M9QXA-1", "Payout PO-20261130-7K3M9Q"..."""
    reference = {"reference": movement.reference}
    code, counterpart = movement.code, movement.counterpart
    if code == "payment_captured":
        return _("Payment received for parcel %(reference)s") % reference
    if code == "cash_collected":
        return _("Cash collected on delivery for parcel %(reference)s") % reference
    if code == "sub_order_completed":
        if counterpart == "commission":
            return _("Souk commission on parcel %(reference)s") % reference
        return _("Parcel %(reference)s completed: the money is yours") % reference
    if code == "refund_before_completion":
        return _("Refund to the buyer of parcel %(reference)s") % reference
    if code == "refund_after_completion":
        if movement.account == "debt":
            return _("Refund of parcel %(reference)s beyond your balance: owed to Souk") % reference
        return _("Refund to the buyer of parcel %(reference)s") % reference
    if code == "debt_recovered":
        return _("Amount owed to Souk settled from your balance (%(reference)s)") % reference
    if code == "payout_created":
        return _("Payout %(reference)s") % reference
    if code == "partner_repayment_withheld":
        return _("Withheld for your bank advance on parcel %(reference)s") % reference
    if code == "partner_repayment_early":
        return _("Bank advance %(reference)s repaid early from your balance") % reference
    if code == "payout_returned":
        return _("Payout %(reference)s returned: the money is available again") % reference
    return f"{code} {movement.reference}".strip()


def payout_status_label(status: str) -> str:
    return str(PayoutStatus(status).label) if status in PayoutStatus.values else status
