"""The data of the second factor: one authenticator per account, its recovery codes, and the
failed attempts that slow down guessing. Imported by souk.accounts.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.core.fields import EncryptedTextField


class TotpDevice(models.Model):
    """An authenticator app (RFC 6238: 30-second steps, 6 digits, SHA-1) of one account.

    Unconfirmed while being set up; it protects the account once a first code confirmed it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="totp_device",
    )
    # Base32, as the authenticator app reads it from the QR code; encrypted at rest like CIN
    # and RIB (souk.core.crypto), so a copy of the database gives no one the codes.
    secret = EncryptedTextField(_("secret"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The time step of the latest accepted code: a code is accepted once, and never one of an
    # earlier step (replay protection).
    last_used_step = models.BigIntegerField(_("last used time step"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return f"{self.user_id} {'confirmed' if self.is_confirmed else 'pending'}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator app is lost; only its keyed hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="recovery_codes",
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'used' if self.used_at else 'unused'}"


class SecondFactorFailure(models.Model):
    """A wrong code or a wrong password at re-authentication, counted per account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed second-factor attempt")
        verbose_name_plural = _("failed second-factor attempts")

    def __str__(self) -> str:
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"
