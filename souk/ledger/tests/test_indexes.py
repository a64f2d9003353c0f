"""The transfer table's indexes: `pending` is indexed only where set (NULL on nearly every
transfer posted), and the reads by `pending_id` still find a transfer's resolutions."""

from __future__ import annotations

import pytest
from django.db import connection

from souk.ledger.models import Transfer


@pytest.mark.django_db
def test_pending_has_one_index_and_it_is_partial() -> None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Transfer._meta.db_table)
    on_pending = [
        name
        for name, facts in constraints.items()
        if facts["index"] and not facts["foreign_key"] and facts["columns"] == ["pending_id"]
    ]
    assert on_pending == ["ledger_transfer_pending_set"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_indexdef(%s::regclass)", ["ledger_transfer_pending_set"])
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE name = %s", ["ledger_transfer_pending_set"]
            )
        (definition,) = cursor.fetchone()
    assert "WHERE" in definition
    assert "IS NOT NULL" in definition
