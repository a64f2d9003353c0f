from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PortfolioFilterForm(forms.Form):
    stuck = forms.IntegerField(
        label=_("Stuck for more than (days)"), min_value=0, max_value=3650, required=False
    )
    stage = forms.CharField(required=False, max_length=24)


class FunnelFilterForm(forms.Form):
    region = forms.CharField(label=_("Region"), required=False, max_length=2)
    sector = forms.CharField(label=_("Sector"), required=False, max_length=3)


class AnotherAdvisorForm(forms.Form):
    note = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
