"""Signed-in sessions: who is signed in where, how long it lasts, and ending it.

Staff sessions (is_staff — every staff role, finance included — and superusers) end after
SOUK_STAFF_SESSION_IDLE_SECONDS without a request (30 minutes) and at the latest
SOUK_STAFF_SESSION_MAX_SECONDS after the log-in (12 hours); everyone else keeps a session
SESSION_COOKIE_AGE (14 days) after their last visit. Each log-in gets a UserSession row, kept
beside Django's session and refreshed at most once a minute (the middleware calls `touch`), so
its owner can see their sessions (browser, address, last seen) and end any of them. Ending one
deletes the Django session itself: the browser holding it is signed out at its next request.
Django keeps sessions in the database (SESSION_ENGINE), which `list_sessions` reads.
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from souk.accounts.models import User, UserSession
from souk.core.client_ip import client_ip

LOGIN_AT_KEY = "souk_login_at"
SEEN_AT_KEY = "souk_seen_at"
# The session row and the session's expiry are written at most this often.
TOUCH_EVERY_SECONDS = 60


def is_staff_account(user: User) -> bool:
    """Whose sessions get the short staff limits: the staff roles (finance included) set
    is_staff, so no permission query is needed on every request."""
    return bool(user.is_staff or user.is_superuser)


def start(*, request: HttpRequest, user: User) -> UserSession:
    """Record a log-in: stamp the session and write its row (called on user_logged_in)."""
    now = time.time()
    request.session[LOGIN_AT_KEY] = now
    request.session[SEEN_AT_KEY] = now
    _set_expiry(request.session, user)
    return _write_row(request=request, user=user)


def rekey(*, old_key: str | None, new_key: str | None) -> None:
    """The session got a new key (a password change keeps the user signed in): follow it."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def touch(request: HttpRequest) -> None:
    """End a staff session past its limits; else note the visit, at most once a minute."""
    user = request.user
    if not isinstance(user, User):
        return
    session = request.session
    now = time.time()
    login_at = float(session.get(LOGIN_AT_KEY) or 0)
    seen_at = float(session.get(SEEN_AT_KEY) or 0)
    if not login_at:
        # A session from before sessions were recorded: counted from now.
        start(request=request, user=user)
        return
    if is_staff_account(user) and (
        now - seen_at > settings.SOUK_STAFF_SESSION_IDLE_SECONDS
        or now - login_at > settings.SOUK_STAFF_SESSION_MAX_SECONDS
    ):
        logout(request)
        return
    if now - seen_at < TOUCH_EVERY_SECONDS:
        return
    session[SEEN_AT_KEY] = now
    _set_expiry(session, user)
    updated = UserSession.objects.filter(session_key=session.session_key, user=user).update(
        last_seen_at=timezone.now(), ip_address=client_ip(request)
    )
    if not updated:
        _write_row(request=request, user=user)


def forget(*, session_key: str | None) -> None:
    """The session was ended by logging out (Django deleted it): drop its row."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def list_sessions(*, user: User) -> list[UserSession]:
    """The user's sessions still alive, most recently seen first; dead rows are pruned."""
    rows = list(UserSession.objects.filter(user=user))
    alive = set(
        Session.objects.filter(
            session_key__in=[row.session_key for row in rows], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    dead = [row.pk for row in rows if row.session_key not in alive]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [row for row in rows if row.session_key in alive]


def end_session(*, user: User, session_id: int) -> None:
    """End one of the user's sessions. Raises UserSession.DoesNotExist for another's."""
    row = UserSession.objects.get(pk=session_id, user=user)
    _end(row)


def end_other_sessions(*, user: User, keep_session_key: str | None) -> int:
    """End every session of the user but `keep_session_key`; return how many were ended."""
    rows = UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or "")
    ended = 0
    for row in rows:
        _end(row)
        ended += 1
    return ended


def describe_browser(user_agent: str) -> str:
    """A short name for a browser and its system, from its User-Agent ("Firefox on Android")."""
    browser = _first_match(
        user_agent,
        (
            ("Edg/", "Edge"),
            ("OPR/", "Opera"),
            ("SamsungBrowser", "Samsung Internet"),
            ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"),
            ("Safari/", "Safari"),
        ),
    )
    system = _first_match(
        user_agent,
        (
            ("Android", "Android"),
            ("iPhone", "iPhone"),
            ("iPad", "iPad"),
            ("Windows", "Windows"),
            ("Mac OS X", "macOS"),
            ("Linux", "Linux"),
        ),
    )
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")


def _first_match(text: str, table: tuple[tuple[str, str], ...]) -> str:
    for needle, name in table:
        if needle in text:
            return name
    return ""


def _write_row(*, request: HttpRequest, user: User) -> UserSession:
    if request.session.session_key is None:
        request.session.save()
    row, _created = UserSession.objects.update_or_create(
        session_key=str(request.session.session_key),
        defaults={
            "user": user,
            "last_seen_at": timezone.now(),
            "ip_address": client_ip(request),
            "user_agent": request.headers.get("user-agent", "")[:300],
        },
        create_defaults={
            "user": user,
            "created_at": timezone.now(),
            "ip_address": client_ip(request),
            "user_agent": request.headers.get("user-agent", "")[:300],
        },
    )
    return row


def _set_expiry(session: SessionBase, user: User) -> None:
    if is_staff_account(user):
        session.set_expiry(settings.SOUK_STAFF_SESSION_IDLE_SECONDS)
    else:
        session.set_expiry(None)


def _end(row: UserSession) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    store(session_key=row.session_key).delete()
    row.delete()
