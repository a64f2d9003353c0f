"""The form that adds a photo to a gallery."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from souk.core.gallery.services import MAX_ALT_TEXT


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG, WebP or HEIC, up to 10 MB."),
        widget=forms.FileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/heic,image/heif"}
        ),
    )
    alt_text = forms.CharField(
        label=_("What the photo shows"),
        max_length=MAX_ALT_TEXT,
        required=False,
        help_text=_("Read aloud to blind visitors."),
    )
