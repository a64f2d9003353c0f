"""The claim form: parses what the artisan typed; the service decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ClaimForm(forms.Form):
    register_number = forms.CharField(
        label=_("Register number"),
        max_length=64,
        help_text=_("As printed on your artisan card or your registration certificate."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "spellcheck": "false"}),
    )
    cin = forms.CharField(
        label=_("National ID number (CIN)"),
        max_length=16,
        help_text=_(
            "For a cooperative or a company: the CIN of its representative in the register."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "spellcheck": "false"}),
    )
