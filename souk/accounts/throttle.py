"""One throttle for every way in: site and back-office log-in, password reset, any later API.

The authentication backend (backends.py) calls `check_login` before it looks at a password and
records the outcome, so every `authenticate()` call passes through here, the admin's included;
the password reset view calls `check_password_reset`. Counts live in the database
(LoginFailure), so every web worker sees the same numbers.

Per account (all spellings of one email or phone share one key): the first
FREE_FAILURES_PER_ACCOUNT failures cost nothing; after that each attempt must wait 2, 4, 8...
seconds after the last failure, at most MAX_ACCOUNT_DELAY. Attempts made while waiting are
refused unread (the right password too: otherwise the delay would not slow guessing) and are
not counted, so the owner is never held back longer than MAX_ACCOUNT_DELAY at a time. A good
log-in forgets the account's failures.

A browser where the account logged in before carries a device cookie for it (devices.py):
its attempts are exempt from the account's shared delay and from the address limit below, so
an outsider's wrong passwords cannot keep the owner out of their usual browser. Its own
failures are counted (LoginFailure.device): past DEVICE_FREE_FAILURES the cookie no longer
exempts it. A log-in through a device cookie forgets only that device's failures, so the
owner's visits do not give a guesser new free tries.

Per address (the client's, see souk/core/client_ip.py): past FAILURES_PER_IP failures within
IP_WINDOW, the address may no longer try identifiers that match no account or accounts that
failed lately; an account with a clean record still logs in. Many people share one address
(mobile carriers' NAT, a café, a misconfigured proxy): they keep their correct log-ins, while a
guesser behind that address gets at most one try per known account per window.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from souk.accounts.errors import GuestCheckoutThrottled, LoginThrottled, PasswordResetThrottled
from souk.accounts.models import LoginFailure, ThrottledAction
from souk.accounts.phones import looks_like_email, normalize_phone

FREE_FAILURES_PER_ACCOUNT = 5
DEVICE_FREE_FAILURES = 5
MAX_ACCOUNT_DELAY = timedelta(minutes=15)
ACCOUNT_WINDOW = timedelta(days=1)
IP_WINDOW = timedelta(minutes=15)
FAILURES_PER_IP = 100
RESET_WINDOW = timedelta(hours=1)
RESETS_PER_ADDRESS = 3
RESETS_PER_IP = 20
GUEST_CHECKOUT_WINDOW = timedelta(hours=1)
GUEST_CHECKOUTS_PER_ADDRESS = 5
GUEST_CHECKOUTS_PER_IP = 20
# Rows older than this are pruned as new ones are written.
KEEP = timedelta(days=1)


def identifier_key(identifier: str) -> str:
    """One spelling per account: emails lower-cased, phones in E.164 whatever their writing."""
    text = identifier.strip()
    if looks_like_email(text):
        return text.lower()[:254]
    try:
        return normalize_phone(text)
    except ValidationError:
        return text.lower()[:254]


def account_delay(failures: int) -> timedelta:
    """How long after the last failure the next attempt must wait, given the failures so far."""
    if failures < FREE_FAILURES_PER_ACCOUNT:
        return timedelta(0)
    exponent = min(failures - FREE_FAILURES_PER_ACCOUNT + 1, 20)
    return min(timedelta(seconds=2**exponent), MAX_ACCOUNT_DELAY)


def check_login(
    *, identifier: str, ip_address: str | None, account_exists: bool, device: str | None = None
) -> None:
    """Raise LoginThrottled when this attempt must not be read now (see the module's rules).

    `device` is the id of a valid device cookie for this account (devices.trusted_device).
    """
    if device and is_trusted_device(identifier=identifier, device=device):
        return
    now = timezone.now()
    failures = LoginFailure.objects.filter(
        kind=ThrottledAction.LOGIN, identifier=identifier_key(identifier)
    )
    recent = list(
        failures.filter(at__gte=now - ACCOUNT_WINDOW).order_by("-at").values_list("at", flat=True)
    )
    if recent:
        wait_until = recent[0] + account_delay(len(recent))
        if now < wait_until:
            raise LoginThrottled(retry_after=math.ceil((wait_until - now).total_seconds()))
    if not ip_address:
        return
    clean_record = account_exists and not (recent and recent[0] >= now - IP_WINDOW)
    if clean_record:
        return
    from_address = LoginFailure.objects.filter(
        kind=ThrottledAction.LOGIN, ip_address=ip_address, at__gte=now - IP_WINDOW
    )
    if from_address.count() >= FAILURES_PER_IP:
        raise LoginThrottled()


def is_trusted_device(*, identifier: str, device: str) -> bool:
    """Whether the device (a valid cookie for the account) is still within its own allowance."""
    since = timezone.now() - ACCOUNT_WINDOW
    own_failures = LoginFailure.objects.filter(
        kind=ThrottledAction.LOGIN,
        identifier=identifier_key(identifier),
        device=device,
        at__gte=since,
    )
    return own_failures.count() < DEVICE_FREE_FAILURES


def record_login_failure(
    *, identifier: str, ip_address: str | None, device: str | None = None
) -> None:
    """Count one failed log-in (of the account, and of the device when it had a cookie)."""
    _record(ThrottledAction.LOGIN, identifier=identifier, ip_address=ip_address, device=device)


def record_login_success(*, identifier: str, device: str | None = None) -> None:
    """The account's owner got in: its failures no longer slow it down.

    Through a device cookie, only that device's failures are forgotten: the owner's visits to
    their usual browser must not give whoever is guessing elsewhere new free tries.
    """
    failures = LoginFailure.objects.filter(
        kind=ThrottledAction.LOGIN, identifier=identifier_key(identifier)
    )
    if device:
        failures = failures.filter(device=device)
    failures.delete()


def check_password_reset(*, email: str, ip_address: str | None) -> None:
    """Count one reset request; raise PasswordResetThrottled past the limits of the hour.

    Counted whether or not the address has an account, so the answer says nothing about it.
    """
    since = timezone.now() - RESET_WINDOW
    asked = LoginFailure.objects.filter(kind=ThrottledAction.PASSWORD_RESET, at__gte=since)
    if asked.filter(identifier=identifier_key(email)).count() >= RESETS_PER_ADDRESS:
        raise PasswordResetThrottled()
    if ip_address and asked.filter(ip_address=ip_address).count() >= RESETS_PER_IP:
        raise PasswordResetThrottled()
    _record(ThrottledAction.PASSWORD_RESET, identifier=email, ip_address=ip_address)


def check_guest_checkout(*, email: str, ip_address: str | None) -> None:
    """Count one order placed without an account; raise GuestCheckoutThrottled past the limits
    of the hour (per email address, per client address), like the password reset."""
    since = timezone.now() - GUEST_CHECKOUT_WINDOW
    placed = LoginFailure.objects.filter(kind=ThrottledAction.GUEST_CHECKOUT, at__gte=since)
    if placed.filter(identifier=identifier_key(email)).count() >= GUEST_CHECKOUTS_PER_ADDRESS:
        raise GuestCheckoutThrottled()
    if ip_address and placed.filter(ip_address=ip_address).count() >= GUEST_CHECKOUTS_PER_IP:
        raise GuestCheckoutThrottled()
    _record(ThrottledAction.GUEST_CHECKOUT, identifier=email, ip_address=ip_address)


def _record(
    kind: ThrottledAction, *, identifier: str, ip_address: str | None, device: str | None = None
) -> None:
    LoginFailure.objects.create(
        kind=kind,
        identifier=identifier_key(identifier),
        ip_address=ip_address,
        device=device or "",
    )
    LoginFailure.objects.filter(at__lt=timezone.now() - KEEP).delete()
