"""Encrypt the CINs stored in clear before 0004 and fill their blind index; the reverse
stores them in clear again (souk/core/encrypted_columns.py)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from souk.core.encrypted_columns import EncryptedColumn, decrypt_column, encrypt_column

CIN = EncryptedColumn(
    table="registry_registerentry",
    column="cin",
    index_column="cin_index",
    index_purpose="registry.cin",
)


def encrypt(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    encrypt_column(schema_editor.connection, CIN)


def decrypt(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    decrypt_column(schema_editor.connection, CIN)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_encrypt_cin_with_blind_index"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
