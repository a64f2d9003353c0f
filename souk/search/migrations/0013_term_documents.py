"""SQLite: the number of documents holding each token, kept by triggers on the documents, so a
search's bm25 needs no pass over a common word's doclist (souk.search.backends.sqlite_terms).
Counted from the FTS5 index once here. PostgreSQL: nothing."""

from typing import Any

from django.db import migrations


def create_term_documents(apps: Any, schema_editor: Any) -> None:
    from souk.search.backends import sqlite_terms

    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in sqlite_terms.CREATE:
        schema_editor.execute(statement)
    sqlite_terms.rebuild()


def drop_term_documents(apps: Any, schema_editor: Any) -> None:
    from souk.search.backends import sqlite_terms

    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in sqlite_terms.DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0012_document_materials"),
    ]

    operations = [
        migrations.RunPython(create_term_documents, drop_term_documents),
    ]
