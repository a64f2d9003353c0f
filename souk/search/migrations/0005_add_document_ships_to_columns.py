"""Where a listing ships (the "ships to" filter): one boolean per shipping zone.

Added by plain `ALTER TABLE ... ADD COLUMN` with a database default, like 0003: on SQLite,
Django's AddField of a NOT NULL column rebuilds the table, and the rebuild drops the triggers
that keep the FTS5 index `search_fts` in step (migration 0002). 0006 fills the columns of the
documents already indexed.
"""

from django.db import migrations, models

ZONE_COLUMNS = ("ships_to_ma", "ships_to_eu", "ships_to_us", "ships_to_world")
FALSE = {"sqlite": "0", "postgresql": "false"}
VERBOSE_NAMES = {
    "ships_to_ma": "ships to Morocco",
    "ships_to_eu": "ships to the European Union",
    "ships_to_us": "ships to the USA and Canada",
    "ships_to_world": "ships to the rest of the world",
}


def add_columns(apps, schema_editor):
    false = FALSE.get(schema_editor.connection.vendor)
    if false is None:
        return
    for column in ZONE_COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE search_searchdocument ADD COLUMN {column} boolean NOT NULL "
            f"DEFAULT {false}"
        )


def drop_columns(apps, schema_editor):
    if schema_editor.connection.vendor in FALSE:
        for column in reversed(ZONE_COLUMNS):
            schema_editor.execute(f"ALTER TABLE search_searchdocument DROP COLUMN {column}")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_fill_document_sort_and_filter_columns")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name=column,
                    field=models.BooleanField(default=False, verbose_name=VERBOSE_NAMES[column]),
                )
                for column in ZONE_COLUMNS
            ],
        ),
    ]
