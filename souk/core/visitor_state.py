"""What the per-visitor parts of a page show a signed-in visitor, read in one query.

The header's counts (unread notices, pieces in the cart, favourites), what the menu's links
depend on (the permissions) and the delivery country each cost a query per page when every
app reads its own. Each app registers here, in its `ready()`, a named scalar subquery of its
own tables taking the user's id (`%s`, as many times as written); `read(request)` runs them all
as one `SELECT (...), (...)` the first time a request asks, and keeps the answers on it.

They are read from the database on every request, never kept between requests: the answers are
what a kept fragment is keyed by (souk/core/pagecache.py, `LIVE_KEYS`), so a change made by
any process, however it was written, is seen by the next page. An answer that identifies a set
(the permissions, the favourites) is its row count and largest id: ids only grow, so adding a
row changes the largest and removing one changes the count.

A session store may read them in the statement that reads the session (`columns`, with the
user's id as a column of that statement: accounts/session_store.py) and offer them on the
store as `visitor_state` = (user id, answers). Only a kept page being served takes the offer
(`adopt`, souk/core/pagecache.py): a GET whose view writes nothing, where reading at the start
of the request gives what reading at the first use did; any other page reads them when first
asked, after what its view wrote.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.http import HttpRequest

_ATTRIBUTE = "_souk_visitor_state"
# name -> (scalar subquery, how many times it takes the user's id)
_QUERIES: dict[str, tuple[str, int]] = {}


def register(name: str, sql: str) -> None:
    """Add a scalar subquery: `sql` names the user's id as `%s` (each one is given it)."""
    _QUERIES[name] = (sql, sql.count("%s"))


OFFER_ATTRIBUTE = "visitor_state"


def columns(user_id_sql: str) -> tuple[list[str], list[str]]:
    """The registered names, and each one's scalar subquery with the user's id written as
    `user_id_sql` (an SQL expression of the enclosing statement, such as a column)."""
    names = sorted(_QUERIES)
    return names, [f"({_QUERIES[name][0].replace('%s', user_id_sql)})" for name in names]


def adopt(request: HttpRequest) -> None:
    """Take the answers the request's session store read with the session, if they are the
    request's user's and none were read or forgotten since (see the module's text)."""
    store = getattr(request, "session", None)
    offered: tuple[Any, dict[str, Any]] | None = getattr(store, OFFER_ATTRIBUTE, None)
    if offered is None or hasattr(request, _ATTRIBUTE):
        return
    setattr(store, OFFER_ATTRIBUTE, None)
    user = getattr(request, "user", None)
    if isinstance(user, AbstractBaseUser) and user.is_authenticated and offered[0] == user.pk:
        setattr(request, _ATTRIBUTE, {**offered[1], "_user": user.pk})


def read(request: HttpRequest) -> dict[str, Any] | None:
    """The registered answers for the request's signed-in user; None for anyone else."""
    user = getattr(request, "user", None)
    if not isinstance(user, AbstractBaseUser) or not user.is_authenticated or not _QUERIES:
        return None
    state: dict[str, Any] | None = getattr(request, _ATTRIBUTE, None)
    if state is None or state.get("_user") != user.pk:
        names = sorted(_QUERIES)
        sql = "SELECT " + ", ".join(f"({_QUERIES[name][0]})" for name in names)
        params: list[Any] = []
        for name in names:
            params.extend([user.pk] * _QUERIES[name][1])
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        state = dict(zip(names, row, strict=True))
        state["_user"] = user.pk
        setattr(request, _ATTRIBUTE, state)
    return state


def forget(request: HttpRequest) -> None:
    """Something the answers depend on changed in this request: read them again if asked."""
    if hasattr(request, _ATTRIBUTE):
        delattr(request, _ATTRIBUTE)
    store = getattr(request, "session", None)
    if getattr(store, OFFER_ATTRIBUTE, None) is not None:
        setattr(store, OFFER_ATTRIBUTE, None)


def signature(state: dict[str, Any], *names: str) -> str:
    """The answers named, as one string for a cache key."""
    return ":".join(str(state.get(name)) for name in names)
