"""Use cases of the second factor: enrol an authenticator, check a code or a recovery code,
re-authenticate, renew the recovery codes, turn the second factor off.

Codes follow RFC 6238 (30-second steps, 6 digits) with pyotp. A code is accepted once: the
device keeps the time step of the last accepted code and refuses that step and earlier ones.
Wrong codes (and wrong passwords at re-authentication) are counted per account: after
FREE_FAILURES, each further try waits twice as long as the one before (ensure_attempt_allowed).
Each check holds the account's row lock, so parallel guesses queue behind each other.
"""

from __future__ import annotations

import datetime
import hmac
import re
import secrets
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from souk.accounts.models import RecoveryCode, SecondFactorFailure, TotpDevice, User
from souk.accounts.two_factor import selectors
from souk.accounts.two_factor.errors import (
    AlreadyEnrolled,
    NotEnrolled,
    SecondFactorRequired,
    TooManyAttempts,
    WrongCode,
    WrongPassword,
)
from souk.core import audit

TOTP_DIGITS = 6
TOTP_PERIOD = 30
# The codes of the step before and after the current one are accepted too: a phone's clock
# may be some seconds off, and a code typed at the end of its step arrives in the next one.
TOTP_VALID_STEPS = 1

RECOVERY_CODE_COUNT = 10
# Ten characters nobody confuses (no 0/O, 1/I/L): about 49 bits each, shown as two groups of
# five joined by a dash.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_CODE_LENGTH = 10
_RECOVERY_SALT = "souk.accounts.two_factor.recovery_code"
_SEPARATORS = re.compile(r"[\s\-]+")

# Wrong attempts allowed before delays start, the first delay (doubling after each further
# failure) and its ceiling; failures older than FAILURE_WINDOW no longer count.
FREE_FAILURES = 5
FIRST_DELAY = datetime.timedelta(seconds=30)
MAX_DELAY = datetime.timedelta(minutes=15)
FAILURE_WINDOW = datetime.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Verified:
    """How a code was accepted: "totp" or "recovery" (and how many recovery codes are left)."""

    method: str
    recovery_codes_left: int


# --- Throttling -----------------------------------------------------------------------------


def _lock_user(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).get()


def wait_before_next_attempt(*, user: User, now: datetime.datetime | None = None) -> int:
    """Seconds `user` must wait before their code may be checked again (0: now)."""
    now = now or timezone.now()
    failures = SecondFactorFailure.objects.filter(user=user, at__gte=now - FAILURE_WINDOW)
    count = failures.count()
    if count < FREE_FAILURES:
        return 0
    delay = min(FIRST_DELAY * 2 ** (count - FREE_FAILURES), MAX_DELAY)
    latest = failures.order_by("-at").values_list("at", flat=True).first()
    if latest is None:
        return 0
    remaining = (latest + delay - now).total_seconds()
    return max(0, int(remaining + 0.999))


def ensure_attempt_allowed(*, user: User, now: datetime.datetime | None = None) -> None:
    """Raise TooManyAttempts (with the seconds to wait as detail) while `user` must wait."""
    wait = wait_before_next_attempt(user=user, now=now)
    if wait:
        raise TooManyAttempts(detail=wait)


def _record_failure(user: User, now: datetime.datetime) -> None:
    SecondFactorFailure.objects.create(user=user, at=now)
    SecondFactorFailure.objects.filter(at__lt=now - FAILURE_WINDOW).delete()


def _clear_failures(user: User) -> None:
    SecondFactorFailure.objects.filter(user=user).delete()


# --- Codes ----------------------------------------------------------------------------------


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_PERIOD)


def provisioning_uri(*, device: TotpDevice, user: User) -> str:
    """The otpauth:// address the authenticator app reads from the QR code."""
    return _totp(device.secret).provisioning_uri(
        name=user.login_identifier, issuer_name=settings.SOUK_TOTP_ISSUER
    )


def _matching_step(secret: str, code: str, now: datetime.datetime) -> int | None:
    """The time step whose code `code` is, among the current one and its neighbours."""
    code = code.strip().replace(" ", "")
    if not (len(code) == TOTP_DIGITS and code.isascii() and code.isdigit()):
        return None
    totp = _totp(secret)
    current = totp.timecode(now)
    for step in range(current - TOTP_VALID_STEPS, current + TOTP_VALID_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(device: TotpDevice, step: int) -> bool:
    """Record `step` as used unless it (or a later one) already was: False means a replay."""
    fresh = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
    return TotpDevice.objects.filter(fresh, pk=device.pk).update(last_used_step=step) == 1


def normalize_recovery_code(text: str) -> str:
    return _SEPARATORS.sub("", text).upper()


def _recovery_hashes(code: str) -> list[str]:
    """The code's keyed hash under the current secret key and each fallback (key rotation)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(_RECOVERY_SALT, code, secret=key, algorithm="sha256").hexdigest()
        for key in keys
    ]


def _new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with RECOVERY_CODE_COUNT new ones; returns them, shown
    once and never stored in clear."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hashes(code)[0]) for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _use_recovery_code(user: User, text: str, now: datetime.datetime) -> bool:
    """Spend one unused recovery code of `user` equal to `text`: False if there is none."""
    code = normalize_recovery_code(text)
    if len(code) != RECOVERY_CODE_LENGTH or not code.isascii() or not code.isalnum():
        return False
    match = (
        RecoveryCode.objects.filter(
            user=user, used_at__isnull=True, code_hash__in=_recovery_hashes(code)
        )
        .values_list("pk", flat=True)
        .first()
    )
    if match is None:
        return False
    return RecoveryCode.objects.filter(pk=match, used_at__isnull=True).update(used_at=now) == 1


def _check(user: User, device: TotpDevice, code: str, now: datetime.datetime) -> str | None:
    """The method that accepts `code` ("totp" or "recovery"), spending it; None if none does."""
    step = _matching_step(device.secret, code, now)
    if step is not None:
        return "totp" if _use_step(device, step) else None
    if device.is_confirmed and _use_recovery_code(user, code, now):
        return "recovery"
    return None


# --- Use cases ------------------------------------------------------------------------------


def start_enrolment(*, user: User) -> TotpDevice:
    """The authenticator being set up for `user`: a new secret, or the one already shown.

    Raises AlreadyEnrolled when a confirmed one exists (turn it off first).
    """
    with transaction.atomic():
        _lock_user(user)
        device = TotpDevice.objects.filter(user=user).first()
        if device is not None and device.is_confirmed:
            raise AlreadyEnrolled()
        if device is None:
            device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
        return device


def confirm_enrolment(*, user: User, code: str, now: datetime.datetime | None = None) -> list[str]:
    """Turn the second factor on with the first code of the app being set up; returns the new
    recovery codes (shown once).

    Raises NotEnrolled without a device being set up, TooManyAttempts while the account must
    wait, WrongCode (counted) for a wrong code.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock_user(user)
        device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()
        if device is None:
            raise NotEnrolled()
        ensure_attempt_allowed(user=user, now=now)
        accepted = _check(user, device, code, now) == "totp"
        if accepted:
            TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=now)
            codes = _new_recovery_codes(user)
            _clear_failures(user)
            audit.record(actor=user, action="account.second_factor_enabled", target=user)
        else:
            _record_failure(user, now)
    if not accepted:
        raise WrongCode()
    return codes


def verify_second_factor(
    *, user: User, code: str, now: datetime.datetime | None = None
) -> Verified:
    """Check a code of the authenticator app, or a recovery code, and spend it.

    Raises NotEnrolled, TooManyAttempts while the account must wait, WrongCode (counted) for a
    wrong, used or replayed code.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock_user(user)
        device = selectors.get_confirmed_device(user)
        if device is None:
            raise NotEnrolled()
        ensure_attempt_allowed(user=user, now=now)
        method = _check(user, device, code, now)
        if method is None:
            _record_failure(user, now)
        else:
            _clear_failures(user)
            if method == "recovery":
                audit.record(actor=user, action="account.recovery_code_used", target=user)
    if method is None:
        raise WrongCode()
    return Verified(method=method, recovery_codes_left=selectors.count_unused_recovery_codes(user))


def reauthenticate(
    *, user: User, password: str, code: str = "", now: datetime.datetime | None = None
) -> None:
    """Check that the person at the keyboard is `user`: the password, and a code (or a
    recovery code) when the account has a second factor.

    Raises TooManyAttempts while the account must wait, WrongPassword (counted) otherwise.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock_user(user)
        ensure_attempt_allowed(user=user, now=now)
        account = User.objects.get(pk=user.pk)
        accepted = account.is_active and account.check_password(password)
        device = selectors.get_confirmed_device(user)
        if accepted and device is not None:
            accepted = _check(user, device, code, now) is not None
        if accepted:
            _clear_failures(user)
        else:
            _record_failure(user, now)
    if not accepted:
        raise WrongPassword()


def regenerate_recovery_codes(*, user: User) -> list[str]:
    """Replace the recovery codes (the old ones stop working); returns the new ones.

    Precondition: the caller re-authenticated. Raises NotEnrolled without a second factor.
    """
    with transaction.atomic():
        _lock_user(user)
        if not selectors.has_second_factor(user):
            raise NotEnrolled()
        codes = _new_recovery_codes(user)
        audit.record(actor=user, action="account.recovery_codes_renewed", target=user)
        return codes


def disable_second_factor(*, user: User) -> None:
    """Turn the second factor off: the device and the recovery codes are deleted.

    Precondition: the caller re-authenticated. Raises SecondFactorRequired for staff.
    """
    if selectors.requires_second_factor(user):
        raise SecondFactorRequired()
    with transaction.atomic():
        _lock_user(user)
        deleted, _by_model = TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        if deleted:
            audit.record(actor=user, action="account.second_factor_disabled", target=user)


def reset_second_factor(*, user: User) -> bool:
    """Delete the authenticator and recovery codes of someone who lost both (support, from
    `manage.py reset_second_factor`, after checking who is asking). Staff then set up a new one
    at their next page. Returns whether there was one."""
    with transaction.atomic():
        _lock_user(user)
        deleted, _by_model = TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        _clear_failures(user)
        if deleted:
            audit.record(actor=None, action="account.second_factor_reset", target=user)
        return bool(deleted)


def enrol_with_secret(*, user: User, secret: str) -> None:
    """Give `user` a confirmed authenticator with a known `secret` and no recovery codes.

    For the demo accounts only (souk/demo/accounts.py): the secret is published with them.
    """
    device, _created = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": secret, "confirmed_at": timezone.now()}
    )
    if device.secret != secret or not device.is_confirmed:
        TotpDevice.objects.filter(pk=device.pk).update(
            secret=secret, confirmed_at=timezone.now(), last_used_step=None
        )
