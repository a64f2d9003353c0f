"""Forms of the reviews pages. Photos are read from request.FILES by the view (several files
under one name) and checked by the service, like every uploaded photo."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from souk.reviews.models import ReportReason
from souk.reviews.services import MAX_BODY

STAR_CHOICES = [
    (1, _("1 star: poor")),
    (2, _("2 stars: fair")),
    (3, _("3 stars: good")),
    (4, _("4 stars: very good")),
    (5, _("5 stars: excellent")),
]


class ReviewForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=STAR_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from one to five stars.")},
    )
    body = forms.CharField(
        label=_("Your review"),
        max_length=MAX_BODY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_("What you liked, what surprised you, how it arrived."),
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=settings.LANGUAGES,
        help_text=_("Readers of this language see your review first."),
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this review?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Details (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("hide", _("Hide")), ("restore", _("Restore")), ("keep", _("Keep shown"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)
