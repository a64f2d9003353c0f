"""The search backend of the default database: FTS5 on SQLite, tsvector + pg_trgm elsewhere."""

from __future__ import annotations

from django.db import connection

from souk.search.backends.base import SearchBackend


def get_backend() -> SearchBackend:
    """The backend for the default database's vendor."""
    if connection.vendor == "postgresql":
        from souk.search.backends.postgres import PostgresSearchBackend

        return PostgresSearchBackend()
    from souk.search.backends.sqlite import SqliteSearchBackend

    return SqliteSearchBackend()
