"""Forms of the earnings and operations pages."""

from __future__ import annotations

from django import forms


class StartRunForm(forms.Form):
    """The "run payouts now" button: its one-time token makes a double click one run."""

    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)
