"""Forms of the payment pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WalletPushForm(forms.Form):
    phone = forms.CharField(
        label=_("Your wallet's mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"}),
    )
