"""Django's database sessions, read with one plain SELECT instead of a built ORM query, and
with the signed-in user's row and answers in the same statement.

SESSION_ENGINE names this module. Every signed-in request reads its session row, then its user
row, then (on a page showing the header) the visitor's answers (core/visitor_state.py): three
round trips, and building the first two through the ORM cost more than running them
(docs/benchmarks.md, "Product page against the bare-Django ceiling"). The session row is read
here joined to its UserSession row (sessions.py: one per log-in, unique by session key) and
that row's user, with the visitor's answers for that user as scalar subqueries; the user row is
offered to the backend (backends.READ_WITH_SESSION, used only if it is the user the session
names) and the answers, read only for a kept page, to that page (`visitor_state.adopt`). A
session without a UserSession row reads its user as before.

The session row, its expiry test, the writes, the deletes and therefore ending a session
(sessions.py) are Django's own: only the read differs. Sessions stay in the database, not in
the cache: the default cache is each process's own memory (CACHE_URL), where one worker could
not see a session another ended or changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone

from souk.accounts.backends import user_fields, user_from_row
from souk.accounts.models import User, UserSession
from souk.core import visitor_state

# (database alias, answers' names) -> (statement, answers' names, how many user columns)
_STATEMENTS: dict[tuple[str, tuple[str, ...]], tuple[str, list[str], int]] = {}


def _statement(using: str, with_visitor_state: bool) -> tuple[str, list[str], int]:
    quote = connections[using].ops.quote_name
    user_id = f'"souk_u".{quote(User._meta.pk.column)}'
    names, subqueries = visitor_state.columns(user_id) if with_visitor_state else ([], [])
    found = _STATEMENTS.get((using, tuple(names)))
    if found is None:
        fields = user_fields(using)
        user_columns = [f'"souk_u".{quote(field.column)}' for field, _converters in fields]
        signed_in = UserSession._meta
        sql = (
            f"SELECT s.session_data, {', '.join(user_columns + subqueries)}"  # noqa: S608
            f" FROM {quote(Session._meta.db_table)} s"
            f" LEFT JOIN {quote(signed_in.db_table)} us ON us.session_key = s.session_key"
            f' LEFT JOIN {quote(User._meta.db_table)} "souk_u"'
            f" ON {user_id} = us.user_id"
            " WHERE s.session_key = %s AND s.expire_date > %s"
        )
        found = _STATEMENTS[(using, tuple(names))] = (sql, names, len(fields))
    return found


class SessionStore(DatabaseSessionStore):
    # The user row read with the session (None when it had no UserSession row), and the
    # visitor's answers for that user: (user id, answers), see the module's text.
    read_user: User | None = None
    visitor_state: tuple[Any, dict[str, Any]] | None = None
    # Whether to read the answers too: only a kept page takes them (accounts/middleware.py).
    with_visitor_state = False

    def _get_session_from_db(self) -> Any:
        self.read_user = self.visitor_state = None
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        using = router.db_for_read(Session)
        connection = connections[using]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        sql, names, user_columns = _statement(using, self.with_visitor_state)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        if row[1] is not None:  # the user's id: the session has its UserSession row
            self.read_user = user_from_row(router.db_for_read(User), row[1 : 1 + user_columns])
            answers = dict(zip(names, row[1 + user_columns :], strict=True))
            if names:
                self.visitor_state = (self.read_user.pk, answers)
        return Session(session_key=key, session_data=row[0])
