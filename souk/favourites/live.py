"""The Save buttons, filled in per visitor after the page is rendered.

A card's or a page's button is per visitor (saved or not, the visitor's CSRF token), yet the
cards are rendered into HTML that every visitor shares: search keeps whole listings in its
cache, the product page keeps "other works" in `{% cache %}` blocks. So templates write a
placeholder (favourites/_piece_button.html, _shop_button.html: `<template data-favourite=...>`,
inert where it is not filled) and FavouriteButtonsMiddleware replaces each one in the response
with the visitor's button. The visitor's saved ids are read once per request (one query for an
account, the session for a guest); the header's count comes from the session.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from souk.accounts.models import User
from souk.core import pagecache, visitor_state
from souk.favourites import guest, selectors
from souk.favourites.selectors import SavedIds

MARK = b'<template data-favourite="'
PLACEHOLDER = re.compile(
    rb'<template data-favourite="(piece|shop):(\d+)" data-name="([^"<>]*)"></template>'
)
_ATTRIBUTE = "_souk_favourites"


def saved_ids(request: HttpRequest) -> SavedIds:
    """What this visitor saved, read once per request."""
    kept: SavedIds | None = getattr(request, _ATTRIBUTE, None)
    if kept is None:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            kept = _account_saved_ids(request, user)
            if hasattr(request, "session"):
                guest.remember_account_count(request.session, kept.count)
        elif hasattr(request, "session"):
            kept = SavedIds(
                pieces=frozenset(guest.saved(request.session, "piece")),
                shops=frozenset(guest.saved(request.session, "shop")),
            )
        else:
            kept = SavedIds(pieces=frozenset(), shops=frozenset())
        setattr(request, _ATTRIBUTE, kept)
    return kept


def _account_saved_ids(request: HttpRequest, user: User) -> SavedIds:
    """An account's saved ids, kept in the cache under their count and largest id as read
    with the visitor's other answers (core/visitor_state.py): any change gives a new key."""
    state = visitor_state.read(request)
    if state is None or "favourites.largest" not in state:
        return selectors.get_saved_ids(user)
    key = "favourites:saved:" + visitor_state.signature(
        {**state, "user": user.pk}, "user", "favourites.count", "favourites.largest"
    )
    kept: SavedIds | None = cache.get(key)
    if kept is None:
        kept = selectors.get_saved_ids(user)
        cache.set(key, kept, 3600)
    return kept


def header_count(request: HttpRequest) -> int:
    """The header's count: for an account, as read with the visitor's other answers or as the
    session last saw it (no query of its own), else read."""
    kept: SavedIds | None = getattr(request, _ATTRIBUTE, None)
    if kept is not None:
        return kept.count
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated:
        state = visitor_state.read(request)
        if state is not None and "favourites.count" in state:
            return int(state["favourites.count"])
    if isinstance(user, User) and user.is_authenticated and hasattr(request, "session"):
        count = guest.account_count(request.session)
        if count is not None:
            return count
    return saved_ids(request).count


def forget(request: HttpRequest) -> None:
    """The visitor's favourites changed in this request: read them again."""
    if hasattr(request, _ATTRIBUTE):
        delattr(request, _ATTRIBUTE)
    visitor_state.forget(request)


def render_button(
    request: HttpRequest,
    *,
    kind: str,
    target_id: int,
    name: str,
    next_path: str,
    csrf_token: str | None = None,
) -> str:
    """The visitor's button for a piece or shop; `name` is already HTML-escaped."""
    ids = saved_ids(request)
    is_saved = target_id in (ids.pieces if kind == "piece" else ids.shops)
    action = reverse("favourites:remove" if is_saved else "favourites:save", args=[kind, target_id])
    return get_template("favourites/_button.html").render(
        {
            "action": action,
            "is_saved": is_saved,
            "kind": kind,
            "name": mark_safe(name),  # noqa: S308 - escaped by the placeholder's template
            "target_id": target_id,
            "next": next_path,
            "csrf_token": csrf_token or pagecache.visitor_csrf_token(request),
        }
    )


# Stand-ins for a button's own values while its shape is rendered: the NUL character never
# comes out of a template otherwise (nor from an address or a placeholder's name).
_SLOT = re.compile("\x00(action|name)\x00")
_SLOT_ID = 987654321


def _shapes(
    request: HttpRequest, next_path: str, csrf_token: str | None = None
) -> Callable[[str, int, str], str]:
    """`render_button` for one request and its page's address, at the cost of one rendering
    per kind of button rather than per button (24 cards were 24 renderings, 24 address
    reversals and 24 masked CSRF tokens): each shape (a kind, saved or not, named or not) is
    rendered once with stand-ins for the action and the name, which are then put in."""
    shapes: dict[tuple[str, bool, bool], tuple[list[str], str, str]] = {}
    masked: list[str] = [csrf_token] if csrf_token else []

    def token() -> str:
        if not masked:
            masked.append(pagecache.visitor_csrf_token(request))
        return masked[0]

    def button(kind: str, target_id: int, name: str) -> str:
        # Read at the first button, as render_button does: a page without one reads nothing.
        ids = saved_ids(request)
        is_saved = target_id in (ids.pieces if kind == "piece" else ids.shops)
        key = (kind, is_saved, bool(name))
        if key not in shapes:
            route = "favourites:remove" if is_saved else "favourites:save"
            action_before, _id, action_after = reverse(route, args=[kind, _SLOT_ID]).partition(
                str(_SLOT_ID)
            )
            html = get_template("favourites/_button.html").render(
                {
                    "action": "\x00action\x00",
                    "is_saved": is_saved,
                    "kind": kind,
                    "name": mark_safe("\x00name\x00" if name else ""),  # noqa: S308
                    "target_id": target_id,
                    "next": next_path,
                    "csrf_token": token(),
                }
            )
            shapes[key] = (_SLOT.split(html), action_before, action_after)
        parts, action_before, action_after = shapes[key]
        # Addresses of digits and ASCII words: nothing to escape, as the template would.
        values = {"action": f"{action_before}{target_id}{action_after}", "name": name}
        return "".join(
            values[part] if position % 2 else part for position, part in enumerate(parts)
        )

    return button


def fill(request: HttpRequest, content: bytes) -> bytes:
    """`content` with every placeholder replaced by the visitor's button. A button is the same
    for every visitor who saved the piece (or not) on the same page in the same language: it is
    rendered once with the CSRF marker (a shape per kind of button, `_shapes`), kept, and given
    the visitor's token here."""
    matches = {match[0]: match for match in PLACEHOLDER.finditer(content)}
    if not matches:
        return content
    next_path = request.get_full_path()
    ids = saved_ids(request)
    language = get_language()
    keys: dict[bytes, str] = {}
    for placeholder, match in matches.items():
        saved = int(match[2]) in (ids.pieces if match[1] == b"piece" else ids.shops)
        what = repr((language, placeholder, saved, next_path))
        keys[placeholder] = f"favourites:button:{hashlib.sha256(what.encode()).hexdigest()}"
    found: dict[str, str] = cache.get_many(list(keys.values()))
    made: dict[str, str] = {}
    button: Callable[[str, int, str], str] | None = None
    for placeholder, key in keys.items():
        if key not in found:
            if button is None:
                button = _shapes(request, next_path, csrf_token=pagecache.CSRF_MARKER)
            match = matches[placeholder]
            found[key] = made[key] = button(match[1].decode(), int(match[2]), match[3].decode())
    if made:
        cache.set_many(made, 3600)
    token = pagecache.visitor_csrf_token(request)
    buttons = {
        placeholder: found[key].replace(pagecache.CSRF_MARKER, token).encode()
        for placeholder, key in keys.items()
    }
    return PLACEHOLDER.sub(lambda match: buttons[match[0]], content)


def fill_kept_page(request: HttpRequest, body: str) -> str:
    """`fill` for the kept page shared by visitors without a session (souk/core/pagecache.py):
    served before this app's middleware runs, it gets its buttons here."""
    if MARK.decode() not in body:
        return body
    return fill(request, body.encode()).decode()


class FavouriteButtonsMiddleware:
    """Fills the Save buttons of an HTML page (see the module's text). Sits after the CSRF
    and authentication middleware, and inside any cache of whole pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or MARK not in response.content
        ):
            return response
        response.content = fill(request, response.content)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
