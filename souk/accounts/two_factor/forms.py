"""Forms of the second-factor pages: they parse; services decide whether a code is right."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


def _code_field(label: Any, *, numeric: bool) -> forms.CharField:
    attrs = {
        "autocomplete": "one-time-code",
        "dir": "ltr",
        "autofocus": True,
        "spellcheck": "false",
    }
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.CharField(label=label, max_length=20, widget=forms.TextInput(attrs=attrs))


class SetupForm(forms.Form):
    code = _code_field(_("The 6-digit code the app shows"), numeric=True)


class VerifyForm(forms.Form):
    code = _code_field(_("Code from your authenticator app, or a recovery code"), numeric=False)


class ReauthenticateForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "dir": "ltr"}),
    )

    def __init__(self, *args: Any, with_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"].required = True
        else:
            del self.fields["code"]
