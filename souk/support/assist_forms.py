from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AskForm(forms.Form):
    days = forms.IntegerField(label=_("For how many days"), min_value=1, max_value=30, initial=7)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code read by the artisan"), max_length=12)
