"""Forms of fulfilment's public pages: checking a certificate of origin."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# A certificate file is a few kilobytes; anything much larger is not one.
CERTIFICATE_FILE_LIMIT_BYTES = 256 * 1024


class CertificateCheckForm(forms.Form):
    code = forms.CharField(label=_("Certificate code"), max_length=16, required=False)
    file = forms.FileField(label=_("Or the certificate file (.json)"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("code") and not cleaned.get("file"):
            raise forms.ValidationError(_("Give the code or the file."))
        upload = cleaned.get("file")
        if upload is not None and upload.size > CERTIFICATE_FILE_LIMIT_BYTES:
            self.add_error("file", _("This file is too large to be a certificate."))
        return cleaned
