"""Session limits applied on every request (see sessions.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from souk.accounts import devices, sessions


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
