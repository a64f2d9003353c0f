"""The sandbox processor's card form: the checks a real hosted card page makes.

The card number and security code are checked here and handed to services.pay_with_card, never
kept: the page does not even echo them back when the form has errors."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.sandbox import services

_EXPIRY = re.compile(r"^\s*(\d{2})\s*/\s*(\d{2})\s*$")
# A day's worth at most: enough to test a callback that comes after the order expired.
MAX_CALLBACK_DELAY_SECONDS = 86_400


class CardForm(forms.Form):
    session = forms.CharField(widget=forms.HiddenInput)
    card_number = forms.CharField(label=_("Card number"), max_length=23)
    expiry = forms.CharField(label=_("Expiry (MM/YY)"), max_length=7)
    cvc = forms.CharField(label=_("Security code"), max_length=4)
    send_twice = forms.BooleanField(label=_("Send the callback twice"), required=False)
    callback_delay_seconds = forms.IntegerField(
        label=_("Send the callback late, after this many seconds"),
        required=False,
        min_value=0,
        max_value=MAX_CALLBACK_DELAY_SECONDS,
    )

    def clean_card_number(self) -> str:
        text = str(self.cleaned_data["card_number"])
        if not re.fullmatch(r"[\d -]+", text):
            raise forms.ValidationError(_("Enter the card number with digits only."))
        digits = re.sub(r"\D", "", text)
        if not 13 <= len(digits) <= 19 or not services.passes_luhn(digits):
            raise forms.ValidationError(_("This card number is not valid."))
        return digits

    def clean_expiry(self) -> datetime.date:
        found = _EXPIRY.match(str(self.cleaned_data["expiry"]))
        if found is None or not 1 <= int(found.group(1)) <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY, for example 08/29."))
        month, year = int(found.group(1)), 2000 + int(found.group(2))
        today = timezone.localdate()
        # A card is valid until the last day of its expiry month.
        if (year, month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return datetime.date(year, month, 1)

    def clean_cvc(self) -> str:
        text = str(self.cleaned_data["cvc"]).strip()
        if not re.fullmatch(r"\d{3,4}", text):
            raise forms.ValidationError(_("The security code is 3 or 4 digits."))
        return text

    def delivery(self) -> services.Delivery:
        """How the merchant is to be called back, from the test options."""
        return services.Delivery(
            times=2 if self.cleaned_data.get("send_twice") else 1,
            delay_seconds=int(self.cleaned_data.get("callback_delay_seconds") or 0),
        )
