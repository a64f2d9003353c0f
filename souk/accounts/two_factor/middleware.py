"""Send a signed-in person who owes a second factor to it before any other page.

Owed by staff (and the finance role) always, and by anyone who turned it on: with an
authenticator, to the verification page; staff without one, to the enrolment page. The
second-factor pages themselves, logging out and switching language stay open. A session
counts as verified only for the account that passed the code (session.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from souk.accounts.models import User
from souk.accounts.two_factor import selectors, session

# URL names a person who still owes the second factor may open.
OPEN_URL_NAMES = frozenset(
    {
        "accounts:logout",
        "admin:logout",
        "accounts:set_currency",
        "healthz",
        "robots_txt",
        "public_media",
    }
)
OPEN_NAMESPACE = "accounts:two_factor"


def _is_open(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        # Nothing is served there: let the 404 (or a static file handler) answer.
        return True
    return match.namespace == OPEN_NAMESPACE or match.view_name in OPEN_URL_NAMES


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self._redirect(request)
        return redirect if redirect is not None else self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if not isinstance(user, User):
            return None
        store = request.session
        if session.is_verified(store, user_id=user.pk):
            return None
        # Staff are checked on every request (is_staff is on the row already loaded); others
        # once per session, after which the answer is remembered.
        if not (user.is_staff or user.is_superuser):
            if store.get(session.NOT_NEEDED_KEY) == user.pk:
                return None
            if not selectors.has_second_factor(user) and not selectors.requires_second_factor(user):
                store[session.NOT_NEEDED_KEY] = user.pk
                return None
        if _is_open(request):
            return None
        name = "verify" if selectors.has_second_factor(user) else "setup"
        target = reverse(f"{OPEN_NAMESPACE}:{name}")
        if request.method in ("GET", "HEAD"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
