"""PostgreSQL: keep each document's search_vector in its row (STORAGE MAIN) instead of in the
TOAST table, so that the search's window walk and its ranking read one heap page for a
document's vector instead of the TOAST index and its chunks (docs/benchmarks.md, "searchpg3":
the candidates queries' shared buffers p95 fell by some two thirds at 250,000 listings).

A storage setting only: rows written from now on (indexing, rebuild_search_index) take it;
rows already written keep their out-of-line vector until the table is rewritten
(`VACUUM FULL search_searchdocument`, which locks the table: a maintenance window, 1.5 min at
250,000 listings, or `rebuild_search_index`). SQLite: nothing."""

from typing import Any

from django.db import migrations

TABLE = "search_searchdocument"


def store_inline(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN")


def store_out_of_line(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0013_term_documents"),
    ]

    operations = [
        migrations.RunPython(store_inline, store_out_of_line),
    ]
