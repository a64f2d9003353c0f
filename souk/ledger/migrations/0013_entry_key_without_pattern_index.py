"""JournalEntry.key without the second index Django gives a unique varchar on PostgreSQL (the
`varchar_pattern_ops` one, for `LIKE 'prefix%'`): keys are only ever looked up whole (posting's
replay read, `locks.entry_for_update`), which the unique index serves, and every entry posted
paid for the second one (docs/benchmarks.md, "Ledger"). The unique constraint stays; SQLite has
no such index."""

from typing import Any

from django.db import migrations

PATTERN_INDEX = "ledger_journalentry_key_ad9d956a_like"


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{PATTERN_INDEX}"')


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{PATTERN_INDEX}" '
            'ON "ledger_journalentry" ("key" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0012_index_pending_only_where_set"),
    ]

    operations = [migrations.RunPython(drop, create, elidable=False)]
