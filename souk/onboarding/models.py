"""The artisan's path (docs/artisan-path.md): the SMS code that proves the phone, and the draft
of the first piece, kept between visits so that nothing typed or photographed is lost."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core.storage import private_storage


class PhoneCheck(models.Model):
    """The code texted to the phone an artisan signed up with; verified once it is typed back.

    Only a digest of the code is stored. An account without a row never had to prove a phone
    (it signed up before this path, or by email).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="phone_check",
    )
    phone = models.CharField(_("phone number"), max_length=16)
    code_digest = models.CharField(max_length=64, editable=False)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    send_count = models.PositiveSmallIntegerField(_("codes sent"), default=1)
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes typed"), default=0)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone check")
        verbose_name_plural = _("phone checks")

    def __str__(self) -> str:
        return f"{self.user_id} {self.phone}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


def _draft_photo_path(instance: PieceDraft, filename: str) -> str:
    return f"piece-drafts/{instance.user_id}/{uuid.uuid4().hex}"


class PieceDraft(models.Model):
    """What the artisan has given so far for their first piece, as typed, and its photo once it
    passed the photo check. Deleted when the piece is sent for review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="piece_draft",
    )
    values = models.JSONField(_("values typed"), default=dict, blank=True)
    # Private until the piece is sent: a draft is nobody's business but its artisan's.
    photo = models.FileField(
        _("photo"), storage=private_storage, upload_to=_draft_photo_path, max_length=200, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("draft of a first piece")
        verbose_name_plural = _("drafts of a first piece")

    def __str__(self) -> str:
        return f"{self.user_id}"
