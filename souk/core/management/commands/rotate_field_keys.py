"""Re-encrypt every encrypted column under the first key of SOUK_FIELD_KEYS.

Rotation, in three steps (docs/security.md): put the new key first in SOUK_FIELD_KEYS and
restart (new values use it, old ones still decrypt); run this command; drop the old key and
restart. The blind indexes are recomputed in the same pass, so a new SOUK_BLIND_INDEX_KEY is
rolled out the same way (with the web processes stopped: lookups fail until the pass ends).
Each column is rewritten in its own transaction; running the command again is harmless.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from souk.core.encrypted_columns import EncryptedColumn, rotate_column
from souk.core.fields import BlindIndexField, EncryptedTextField


def encrypted_columns() -> list[EncryptedColumn]:
    """Every EncryptedTextField of every installed model, with the blind index beside it."""
    columns = []
    for model in apps.get_models():
        meta = model._meta
        indexes = {
            field.source: field
            for field in meta.concrete_fields
            if isinstance(field, BlindIndexField)
        }
        for field in meta.concrete_fields:
            if isinstance(field, EncryptedTextField):
                index = indexes.get(field.name)
                columns.append(
                    EncryptedColumn(
                        table=meta.db_table,
                        column=field.column,
                        index_column=index.column if index else "",
                        index_purpose=index.purpose if index else "",
                    )
                )
    return columns


class Command(BaseCommand):
    help = "Re-encrypt CIN, RIB and every encrypted column under the first SOUK_FIELD_KEYS key."

    def handle(self, *args: Any, **options: Any) -> None:
        for column in encrypted_columns():
            with transaction.atomic():
                count = rotate_column(connection, column)
            if options["verbosity"] >= 1:
                self.stdout.write(f"{column.table}.{column.column}: {count} value(s) re-encrypted")
