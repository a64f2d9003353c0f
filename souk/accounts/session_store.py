"""Django's database sessions, read with one plain SELECT instead of a built ORM query.

SESSION_ENGINE names this module. Every signed-in request reads its session row; building
that query through the ORM cost more than running it (docs/benchmarks.md, "Product page
against the bare-Django ceiling"). The row, its expiry test, the writes, the deletes and
therefore ending a session (sessions.py) are Django's own: only the read differs. Sessions stay
in the database, not in the cache: the default cache is each process's own memory
(CACHE_URL), where one worker could not see a session another ended or changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        connection = connections[router.db_for_read(Session)]
        table = connection.ops.quote_name(Session._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            sql = f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s"  # noqa: S608
            cursor.execute(sql, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return Session(session_key=key, session_data=row[0])
