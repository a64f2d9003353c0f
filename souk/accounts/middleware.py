"""Session limits applied on every request (see sessions.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from souk.accounts import backends, devices, sessions
from souk.core import pagecache


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, but the user is the row read with the session when it is the session's
    (accounts/session_store.py): one statement for both. Django's get_user checks it as any
    other: the backend, the session's user id, an active account, the password hash."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _user(request))  # type: ignore[assignment]


def _user(request: HttpRequest) -> AbstractBaseUser | AnonymousUser:
    cached: AbstractBaseUser | AnonymousUser | None = getattr(request, "_cached_user", None)
    if cached is None:
        store = request.session
        # A kept page takes the visitor's answers read with the session (visitor_state.adopt).
        store.with_visitor_state = pagecache.is_kept_view(request)  # type: ignore[attr-defined]
        store.get(SESSION_KEY)  # reads the session, and with it the row of its user
        token = backends.READ_WITH_SESSION.set(getattr(store, "read_user", None))
        try:
            cached = auth.get_user(request)
        finally:
            backends.READ_WITH_SESSION.reset(token)
        request._cached_user = cached  # type: ignore[attr-defined]  # as Django's middleware
    return cached


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware: ends staff sessions past their limits, notes visits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sessions.touch(request)
        return self.get_response(request)


class DeviceCookieMiddleware:
    """Sends the device cookie of a log-in made during the request (devices.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        devices.write_pending(request=request, response=response)
        return response
