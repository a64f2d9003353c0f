"""Forms of the payment pages."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from souk.core.money import Money


class WalletPushForm(forms.Form):
    phone = forms.CharField(
        label=_("Your wallet's mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )


class PartialRefundForm(forms.Form):
    """A moderator's refund of part (or all) of an order: amount in the order's currency."""

    amount = forms.CharField(
        label=_("Amount to refund"),
        max_length=16,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "dir": "ltr"}),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea)
    # One-time token: the same form posted twice makes one refund.
    key = forms.CharField(widget=forms.HiddenInput, max_length=48)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self) -> Money:
        text = str(self.cleaned_data["amount"]).strip().replace(",", ".")
        try:
            amount = Money.from_decimal(Decimal(text), self.currency)
        except (InvalidOperation, ValueError) as error:
            raise forms.ValidationError(
                _("Enter an amount such as 120.50, with at most two decimals.")
            ) from error
        if not amount.is_positive():
            raise forms.ValidationError(_("Enter an amount above zero."))
        return amount

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Say why the buyer is refunded."))
        return reason


class RefundDecisionForm(forms.Form):
    """A second person's decision on a refund awaiting approval."""

    APPROVE = "approve"
    REJECT = "reject"
    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))])
