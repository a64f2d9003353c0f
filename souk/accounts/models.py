"""People who use Souk. One user model from the start: login by email or by phone number."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.accounts.roles import Role
from souk.core.fields import EncryptedTextField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(
        self, *, email: str | None, phone: str | None, password: str | None, **extra: Any
    ) -> User:
        user = self.model(
            email=self.normalize_email(email).lower() if email else None,
            phone=phone or None,
            **extra,
        )
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(
        self,
        email: str | None = None,
        password: str | None = None,
        *,
        phone: str | None = None,
        **extra: Any,
    ) -> User:
        return self._create(email=email, phone=phone, password=password, **extra)

    def create_superuser(
        self, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email=email, phone=extra.pop("phone", None), password=password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: buyer, artisan, advisor, bank officer, moderator, administrator, analyst or
    finance officer.

    Either `email` or `phone` (E.164) identifies them at login; at least one is set. Roles are
    groups (see roles.py); `is_staff` follows the staff roles.
    """

    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone number"), max_length=16, unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    preferred_currency = models.CharField(
        _("preferred currency"),
        max_length=3,
        choices=[(code, code) for code in settings.SOUK_CURRENCIES],
        default=settings.SOUK_DEFAULT_CURRENCY,
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A buyer who checked out without an account: no email or phone to log in with (so no
    # log-in, no password reset), only where to send the order's notices. Their orders move to
    # an account when it is created or signed into (orders/guests.py).
    is_guest = models.BooleanField(_("guest"), default=False)
    guest_email = models.EmailField(_("guest's email address"), blank=True)
    guest_phone = models.CharField(_("guest's phone number"), max_length=16, blank=True)
    is_staff = models.BooleanField(_("staff"), default=False)
    created_at = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False) | Q(is_guest=True),
                name="user_has_email_or_phone",
                violation_error_message=_("Give an email address or a phone number."),
            ),
        ]
        permissions = [
            ("access_backoffice", _("Can open the back office")),
            ("moderate_content", _("Can moderate shops and listings")),
            ("verify_artisans", _("Can verify artisan identities")),
            ("manage_roles", _("Can grant and withdraw roles")),
            ("sell", _("Can open a shop and sell")),
            ("coach_artisans", _("Can follow and coach artisans")),
            ("review_bank_applications", _("Can review bank applications shared with the bank")),
            ("view_insights", _("Can view aggregate insights")),
            ("manage_payouts", _("Can start payout runs and download bank files")),
        ]

    def __str__(self) -> str:
        return self.full_name or self.login_identifier

    @property
    def login_identifier(self) -> str:
        """The email address if there is one, else the phone number."""
        return self.email or self.phone or ""

    @property
    def reach_email(self) -> str:
        """Where email notices go: the account's address, or the one a guest gave."""
        return self.email or self.guest_email

    @property
    def reach_phone(self) -> str:
        """Where SMS notices go: the account's phone, or the one a guest gave."""
        return self.phone or self.guest_phone

    def clean(self) -> None:
        # AbstractBaseUser.clean normalises the username field, which is the email here.
        self.email = self.email.strip().lower() if self.email else None
        self.phone = self.phone or None

    def get_short_name(self) -> str:
        return self.full_name or self.login_identifier

    def get_full_name(self) -> str:
        return self.full_name

    @property
    def roles(self) -> list[Role]:
        """The roles held, in the order of the Role table."""
        names = {group.name for group in self.groups.all()}
        return [role for role in Role if role.value in names]

    def has_role(self, role: Role) -> bool:
        return role in self.roles


class ThrottledAction(models.TextChoices):
    LOGIN = "login", _("Failed log-in")
    PASSWORD_RESET = "password_reset", _("Password reset asked")
    GUEST_CHECKOUT = "guest_checkout", _("Guest checkout")


class LoginFailure(models.Model):
    """One counted attempt at a way in: a failed log-in, or a password reset asked.

    Read by throttle.py, the one throttle every way in goes through.
    """

    kind = models.CharField(
        max_length=16, choices=ThrottledAction.choices, default=ThrottledAction.LOGIN
    )
    identifier = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    # The device cookie's id when the attempt carried a valid one for the account (devices.py).
    device = models.CharField(max_length=32, blank=True, default="", db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed log-in")
        verbose_name_plural = _("failed log-ins")

    def __str__(self) -> str:
        return f"{self.identifier} {self.ip_address} {self.at:%Y-%m-%d %H:%M}"


class UserSession(models.Model):
    """One signed-in browser: a row per log-in beside Django's session, so that its owner can
    see where they are signed in and end it (sessions.py). Ending it deletes the session."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.ip_address} {self.last_seen_at:%Y-%m-%d %H:%M}"


# The second factor (souk.accounts.two_factor): a TOTP device, recovery codes, failures.
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
