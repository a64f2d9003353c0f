"""Session limits applied on every request (see sessions.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from souk.accounts import sessions


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware: ends staff sessions past their limits, notes visits."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sessions.touch(request)
        return self.get_response(request)
