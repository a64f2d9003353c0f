"""The header's live parts (base.html: the shop link and the menu), kept per signed-in visitor.

Both are rendered for every request of a kept page (souk/core/pagecache.py), and both show only
the visitor: their name, permissions and counts. For an account their key is what they show,
read in one query with the visitor's other answers (core/visitor_state.py) and from the user
row already loaded, so a part is rendered once per account and state and then shared by the
account's pages; a new notice, a piece added to the cart, a favourite or a role changes the key
of the next request in every process. Visitors with neither an account nor a session share
one render per language, currency and host; other visitors without an account render them as
before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from souk.accounts.models import User
from souk.core import visitor_state


def account_key(request: HttpRequest, arguments: dict[str, Any], page_key: str) -> str | None:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return _sessionless_key(request, arguments)
    state = visitor_state.read(request)
    if state is None:
        return None
    answers = sorted((name, value) for name, value in state.items() if name != "_user")
    return repr(
        (
            user.pk,
            user.full_name,
            user.login_identifier,
            user.is_active,
            user.is_staff,
            user.is_superuser,
            answers,
            sorted(arguments.items()),
        )
    )


def _sessionless_key(request: HttpRequest, arguments: dict[str, Any]) -> str | None:
    """A visitor without an account nor a session (no session cookie, nothing written to one
    in this request) sees what every such visitor sees: an empty cart, no favourites, the
    log-in links; so the parts are rendered once per language, currency and host (the key's
    other parts, pagecache._part_key). None for any other visitor without an account."""
    session = getattr(request, "session", None)
    if (
        session is None
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or session.session_key is not None
        or session.modified
        or not session.is_empty()
    ):
        return None
    return repr(("sessionless", sorted(arguments.items())))


PARTS = ("web/_header_shop_link.html", "web/_site_menu_account.html")
