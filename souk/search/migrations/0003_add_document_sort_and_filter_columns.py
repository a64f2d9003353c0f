"""Columns for the browse pages: materials (material filter), shop (shop page), publication
time (the "newest" order), with indexes on the last two.

The columns are added by plain `ALTER TABLE ... ADD COLUMN` with a database default instead of
Django's AddField: on SQLite, AddField of a NOT NULL column rebuilds the table, and the rebuild
drops the triggers that keep the FTS5 index `search_fts` in step (migration 0002). The state
is the model's; the database defaults only cover rows written before 0004 fills them, Django
always writes every column.
"""

from django.db import migrations, models

COLUMNS = {
    "sqlite": [
        "ALTER TABLE search_searchdocument ADD COLUMN materials_text text NOT NULL DEFAULT ''",
        "ALTER TABLE search_searchdocument ADD COLUMN shop_id bigint NOT NULL DEFAULT 0",
        "ALTER TABLE search_searchdocument ADD COLUMN published_at datetime NOT NULL "
        "DEFAULT '1970-01-01 00:00:00'",
    ],
    "postgresql": [
        "ALTER TABLE search_searchdocument ADD COLUMN materials_text text NOT NULL DEFAULT ''",
        "ALTER TABLE search_searchdocument ADD COLUMN shop_id bigint NOT NULL DEFAULT 0",
        "ALTER TABLE search_searchdocument ADD COLUMN published_at timestamp with time zone "
        "NOT NULL DEFAULT '1970-01-01 00:00:00+00'",
    ],
}
DROP_COLUMNS = [
    "ALTER TABLE search_searchdocument DROP COLUMN published_at",
    "ALTER TABLE search_searchdocument DROP COLUMN shop_id",
    "ALTER TABLE search_searchdocument DROP COLUMN materials_text",
]


def add_columns(apps, schema_editor):
    for statement in COLUMNS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_columns(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        for statement in DROP_COLUMNS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_create_text_indexes")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_columns, drop_columns)],
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="materials_text",
                    field=models.TextField(blank=True, verbose_name="materials text"),
                ),
                migrations.AddField(
                    model_name="searchdocument",
                    name="shop_id",
                    field=models.BigIntegerField(default=0, verbose_name="shop"),
                    preserve_default=False,
                ),
                migrations.AddField(
                    model_name="searchdocument",
                    name="published_at",
                    field=models.DateTimeField(default=None, verbose_name="published at"),
                    preserve_default=False,
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["shop_id"], name="search_sear_shop_id_391399_idx"),
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["published_at"], name="search_sear_publish_1fa855_idx"),
        ),
    ]
