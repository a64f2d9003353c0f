"""Forms of help on request: the artisan's request, the advisor's proposal, note and close."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from souk.support.help_models import HelpChannel, HelpSlot, HelpTopic


class HelpRequestForm(forms.Form):
    topic = forms.ChoiceField(label=_("What do you need help with?"), choices=HelpTopic.choices)
    channel = forms.ChoiceField(
        label=_("How should your advisor help you?"),
        choices=HelpChannel.choices,
        widget=forms.RadioSelect,
    )
    slots = forms.MultipleChoiceField(
        label=_("Times that suit you"),
        choices=HelpSlot.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one time that suits you.")},
    )
    message = forms.CharField(
        label=_("A few words (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ProposeForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Appointment (date and time)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    channel = forms.ChoiceField(label=_("How"), choices=HelpChannel.choices)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
