"""Encrypt the payout destinations (IBAN or wallet number) stored in clear before 0004; the
reverse stores them in clear again (souk/core/encrypted_columns.py)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from souk.core.encrypted_columns import EncryptedColumn, decrypt_column, encrypt_column

DESTINATION = EncryptedColumn(table="ledger_payout", column="destination")


def encrypt(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    encrypt_column(schema_editor.connection, DESTINATION)


def decrypt(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    decrypt_column(schema_editor.connection, DESTINATION)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_encrypt_payout_destination"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
