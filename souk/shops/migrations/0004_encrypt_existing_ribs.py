"""Encrypt the RIBs stored in clear before 0003; the reverse stores them in clear again
(souk/core/encrypted_columns.py)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from souk.core.encrypted_columns import EncryptedColumn, decrypt_column, encrypt_column

RIB = EncryptedColumn(table="shops_shop", column="payout_rib")


def encrypt(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    encrypt_column(schema_editor.connection, RIB)


def decrypt(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    decrypt_column(schema_editor.connection, RIB)


class Migration(migrations.Migration):
    dependencies = [
        ("shops", "0003_encrypt_payout_rib"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
