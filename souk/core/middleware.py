"""Cross-cutting request handling: security headers and the visitor's display currency."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from souk.core.errors import DomainError

# Pages load nothing from another host: every script, style, font and image is served by Souk.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

SESSION_CURRENCY_KEY = "currency"


class ContentSecurityPolicyMiddleware:
    """Send a Content-Security-Policy that forbids third-party requests from our pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response


def display_currency(request: HttpRequest) -> str:
    """The currency this visitor sees prices in: their profile's, else their session's, else MAD."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        preferred = getattr(user, "preferred_currency", "")
        if preferred in settings.SOUK_CURRENCIES:
            return str(preferred)
    from_session = (
        request.session.get(SESSION_CURRENCY_KEY) if hasattr(request, "session") else None
    )
    if from_session in settings.SOUK_CURRENCIES:
        return str(from_session)
    return str(settings.SOUK_DEFAULT_CURRENCY)


class CurrencyMiddleware:
    """Set `request.currency` for views and templates."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.currency = display_currency(request)  # type: ignore[attr-defined]  # our own request attribute
        return self.get_response(request)


class DomainErrorMiddleware:
    """Render a business error (DomainError) as a page with its translated message and status.

    Views do not catch domain errors one by one: a refused action becomes a 4xx page that says
    why, and nothing was changed because the service's transaction was rolled back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return render(
            request,
            "core/domain_error.html",
            {"error": exception},
            status=exception.http_status,
        )
