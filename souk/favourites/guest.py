"""What the session keeps of favourites: a guest's, until they log in or sign up; an
account's count, for the header.

A guest's are two lists of ids, newest first, at most GUEST_LIMIT each; the login hook
(receivers.merge_at_login) hands them to services.merge_guest_favourites and forgets them. An
account's count is written at login and whenever its favourites are read or changed, so that
the header's count costs no query on pages without a Save button.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import SessionBase

from souk.favourites.errors import TooManyFavourites

GUEST_LIMIT = 100
SESSION_KEYS = {"piece": "favourite_pieces", "shop": "favourite_shops"}
COUNT_KEY = "favourites_count"


def saved(session: SessionBase, kind: str) -> list[int]:
    """The ids a guest saved of `kind` ("piece" or "shop"), newest first."""
    value = session.get(SESSION_KEYS[kind], [])
    return [int(item) for item in value if isinstance(item, int)] if isinstance(value, list) else []


def add(session: SessionBase, kind: str, target_id: int) -> None:
    ids = saved(session, kind)
    if target_id in ids:
        return
    if len(ids) >= GUEST_LIMIT:
        raise TooManyFavourites
    session[SESSION_KEYS[kind]] = [target_id, *ids]


def remove(session: SessionBase, kind: str, target_id: int) -> None:
    ids = saved(session, kind)
    if target_id in ids:
        session[SESSION_KEYS[kind]] = [item for item in ids if item != target_id]


def take_all(session: SessionBase) -> tuple[list[int], list[int]]:
    """The guest's pieces and shops, removed from the session (at login)."""
    pieces, shops = saved(session, "piece"), saved(session, "shop")
    for key in SESSION_KEYS.values():
        session.pop(key, None)
    return pieces, shops


def account_count(session: SessionBase) -> int | None:
    """The account's count as last read in this session, or None."""
    count = session.get(COUNT_KEY)
    return count if isinstance(count, int) else None


def remember_account_count(session: SessionBase, count: int) -> None:
    if session.get(COUNT_KEY) != count:
        session[COUNT_KEY] = count
