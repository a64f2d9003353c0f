"""Device cookies: a browser where an account logged in before is not slowed by strangers.

OWASP's answer to lockouts (Slow Down Online Guessing Attacks with Device Cookies): every
successful log-in, by any way in (site, back office, any later API), gives the browser a
signed, long-lived cookie naming the account. An attempt that carries a valid one for the
account it tries is not subject to the account's shared delay nor to its address's limit
(throttle.py): an outsider's wrong passwords can then no longer keep the owner out of their
usual browser. Such a device has its own small allowance instead (throttle.DEVICE_FREE_FAILURES);
past it, its cookie no longer exempts it and it waits like everyone else.

The cookie holds, for up to MAX_ACCOUNTS accounts, the account's id, a random device id (which
counts that device's failures) and a fingerprint of the account's password hash, so a new
password (changed, reset, set by an administrator) withdraws the exemption of every browser
that logged in with the old one. It is signed with SECRET_KEY (django.core.signing): a forged,
altered or other account's cookie exempts nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare, salted_hmac

from souk.accounts.models import User

SALT = "souk.accounts.devices"
MAX_AGE = timedelta(days=365)
# One browser shared by a family or a cooperative's office remembers this many accounts.
MAX_ACCOUNTS = 5
# Where `remember` leaves the cookie for DeviceCookieMiddleware to send with the response.
PENDING_ATTRIBUTE = "_souk_device_cookie"


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    user_id: int
    device_id: str
    password_fingerprint: str


def cookie_name() -> str:
    """Host-only and HTTPS-only behind the TLS proxy, like the session cookie."""
    return "__Host-souk_device" if settings.HTTPS else "souk_device"


def trusted_device(*, request: HttpRequest, user: User) -> str | None:
    """The device id of the request's cookie for `user`, or None when it carries no valid one
    (none, forged, expired, another account's, or issued before the password changed)."""
    fingerprint = _password_fingerprint(user)
    for entry in _read(request):
        if entry.user_id == user.pk and constant_time_compare(
            entry.password_fingerprint, fingerprint
        ):
            return entry.device_id
    return None


def remember(*, request: HttpRequest, user: User) -> None:
    """`user` logged in on this browser: renew its entry (called on user_logged_in).

    The cookie itself is written on the response by DeviceCookieMiddleware.
    """
    others = [entry for entry in _read(request) if entry.user_id != user.pk]
    entry = DeviceEntry(
        user_id=user.pk,
        device_id=secrets.token_hex(16),
        password_fingerprint=_password_fingerprint(user),
    )
    entries = [entry, *others][:MAX_ACCOUNTS]
    value = signing.dumps(
        [[item.user_id, item.device_id, item.password_fingerprint] for item in entries],
        salt=SALT,
        compress=True,
    )
    setattr(request, PENDING_ATTRIBUTE, value)


def write_pending(*, request: HttpRequest, response: HttpResponse) -> None:
    """Send the cookie `remember` prepared during this request, if any."""
    value = getattr(request, PENDING_ATTRIBUTE, None)
    if value is None:
        return
    response.set_cookie(
        cookie_name(),
        value,
        max_age=int(MAX_AGE.total_seconds()),
        path="/",
        secure=settings.HTTPS or request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _read(request: HttpRequest) -> list[DeviceEntry]:
    raw = request.COOKIES.get(cookie_name())
    if not raw:
        return []
    try:
        data = signing.loads(raw, salt=SALT, max_age=MAX_AGE)
    except (signing.BadSignature, ValueError):
        return []
    entries = []
    for item in data if isinstance(data, list) else []:
        if (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], int)
            and isinstance(item[1], str)
            and isinstance(item[2], str)
        ):
            entries.append(
                DeviceEntry(user_id=item[0], device_id=item[1], password_fingerprint=item[2])
            )
    return entries


def _password_fingerprint(user: User) -> str:
    return salted_hmac(SALT, user.password, algorithm="sha256").hexdigest()[:32]
