"""`recent_authentication_required`: a view that changes something sensitive (where the
earnings go) runs only within SOUK_REAUTH_MINUTES of a "confirm it's you"."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from souk.accounts.models import User
from souk.accounts.two_factor import session
from souk.accounts.two_factor.errors import ReauthenticationRequired

View = Callable[..., HttpResponse]


def ask_recent_authentication(request: HttpRequest) -> HttpResponse | None:
    """None within SOUK_REAUTH_MINUTES of a "confirm it's you". Otherwise GET (or HEAD) goes
    to the confirmation page and comes back, and any other method is refused with
    ReauthenticationRequired (403): a form posted from elsewhere, or after the minutes ran out,
    changes nothing."""
    user = request.user
    if isinstance(user, User) and session.is_recently_authenticated(
        request.session, user_id=user.pk
    ):
        return None
    if request.method in ("GET", "HEAD"):
        target = reverse("accounts:two_factor:confirm")
        return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
    raise ReauthenticationRequired()


def recent_authentication_required(view: View) -> View:
    """The view runs only within SOUK_REAUTH_MINUTES of a "confirm it's you" (see
    ask_recent_authentication for what happens otherwise)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        asked = ask_recent_authentication(request)
        return asked if asked is not None else view(request, *args, **kwargs)

    return wrapper
