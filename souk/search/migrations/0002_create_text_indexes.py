"""The full-text index beside search_searchdocument, by database vendor.

SQLite: an FTS5 external-content table `search_fts` (titles, bodies) kept in step by triggers.
PostgreSQL: pg_trgm, a generated tsvector column with a GIN index, and a trigram index on
titles. Other vendors get nothing (the app supports these two).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_text, body_text, "
    "content='search_searchdocument', content_rowid='product_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_fts_after_insert AFTER INSERT ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(rowid, title_text, body_text) "
    "VALUES (new.product_id, new.title_text, new.body_text); END",
    "CREATE TRIGGER search_fts_after_delete AFTER DELETE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_text, body_text) "
    "VALUES ('delete', old.product_id, old.title_text, old.body_text); END",
    "CREATE TRIGGER search_fts_after_update AFTER UPDATE ON search_searchdocument BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_text, body_text) "
    "VALUES ('delete', old.product_id, old.title_text, old.body_text); "
    "INSERT INTO search_fts(rowid, title_text, body_text) "
    "VALUES (new.product_id, new.title_text, new.body_text); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_after_update",
    "DROP TRIGGER IF EXISTS search_fts_after_delete",
    "DROP TRIGGER IF EXISTS search_fts_after_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (setweight(to_tsvector('simple', title_text), 'A') || "
    "setweight(to_tsvector('simple', body_text), 'B')) STORED",
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_document_title_trigram ON search_searchdocument "
    "USING gin (title_text gin_trgm_ops)",
]
# The extension stays: other things may use it.
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_document_title_trigram",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector",
]


def _run(schema_editor, by_vendor):
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_text_indexes(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD})


def drop_text_indexes(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_create_search_document")]

    operations = [migrations.RunPython(create_text_indexes, drop_text_indexes)]
