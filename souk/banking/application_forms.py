"""Forms of applications: the consent (what is shared, for how long), an officer's move, a
message. Amounts are typed in dirhams and given to the services in minor units."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from souk.banking.application_models import DEFAULT_CONSENT_DAYS, MAX_CONSENT_DAYS, ShareLine


def _minor(amount: Decimal | None) -> int | None:
    return None if amount is None else int(amount * 100)


class ConsentForm(forms.Form):
    lines = forms.MultipleChoiceField(
        label=_("What you share with the bank"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one line to share with the bank.")},
    )
    days = forms.IntegerField(
        label=_("For how many days"),
        min_value=1,
        max_value=MAX_CONSENT_DAYS,
        initial=DEFAULT_CONSENT_DAYS,
    )
    amount = forms.DecimalField(
        label=_("Amount you ask for (MAD)"),
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        max_digits=12,
    )
    agree = forms.BooleanField(
        label=_("I have read what is shared, with whom, for how long and how to withdraw."),
        error_messages={"required": _("Tick the box to give your consent.")},
    )

    def __init__(self, *args: Any, available: list[str], needs_amount: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(ShareLine.choices)
        field = cast(forms.MultipleChoiceField, self.fields["lines"])
        field.choices = [(line, labels[line]) for line in available]
        self.needs_amount = needs_amount
        if not needs_amount:
            del self.fields["amount"]
        else:
            self.fields["amount"].required = True

    def amount_minor(self) -> int | None:
        return _minor(self.cleaned_data.get("amount")) if self.needs_amount else None


class MoveForm(forms.Form):
    """An officer's step: the reason (required to decline or ask for information) and, to
    fund, the amounts."""

    reason = forms.CharField(
        label=_("Reason or question (the artisan reads it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    principal = forms.DecimalField(
        label=_("Amount funded (MAD)"),
        required=False,
        min_value=Decimal("0.01"),
        decimal_places=2,
        max_digits=12,
    )
    fee = forms.DecimalField(
        label=_("Flat fee (MAD)"), required=False, min_value=0, decimal_places=2, max_digits=12
    )
    share = forms.DecimalField(
        label=_("Share withheld from each payout (%)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=100,
        decimal_places=2,
        max_digits=5,
    )

    def funding(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        principal = _minor(self.cleaned_data.get("principal"))
        fee = _minor(self.cleaned_data.get("fee"))
        if principal is not None:
            values["principal"] = principal
        if fee is not None:
            values["fee"] = fee
        if self.cleaned_data.get("share") is not None:
            values["share"] = self.cleaned_data["share"]
        return values


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
