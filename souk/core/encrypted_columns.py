"""Whole-column passes over encrypted fields: encrypt what was stored in clear (data
migrations), decrypt it back (their reverse), and re-encrypt under the first key (rotation).

They work on the table with SQL, in batches ordered by primary key, because the model's own
field decrypts on read and a column being converted holds both forms. Fernet tokens start
with `gAAAAA` (version byte 0x80 and a timestamp); no CIN or RIB does, so each pass tells the
two forms apart and can be run again after an interruption.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

from souk.core import crypto

BATCH_SIZE = 2000
# The start of every Fernet token, not a secret.
_TOKEN_PREFIX = "gAAAAA"  # noqa: S105


@dataclass(frozen=True, slots=True)
class EncryptedColumn:
    """One encrypted column, and the blind index beside it when it has one."""

    table: str
    column: str
    index_column: str = ""
    index_purpose: str = ""


def is_token(value: str) -> bool:
    return value.startswith(_TOKEN_PREFIX)


def encrypt_column(connection: BaseDatabaseWrapper, target: EncryptedColumn) -> int:
    """Encrypt the values stored in clear and fill their blind index; returns rows changed."""
    return _rewrite(connection, target, lambda value: None if is_token(value) else value)


def decrypt_column(connection: BaseDatabaseWrapper, target: EncryptedColumn) -> int:
    """Store every value in clear again (a migration's reverse); the index is emptied."""
    return _rewrite(
        connection,
        target,
        lambda value: crypto.decrypt(value) if is_token(value) else None,
        encrypt_again=False,
    )


def rotate_column(connection: BaseDatabaseWrapper, target: EncryptedColumn) -> int:
    """Encrypt every value again under the first key, its blind index under today's key."""
    return _rewrite(
        connection, target, lambda value: crypto.decrypt(value) if is_token(value) else value
    )


def _rewrite(
    connection: BaseDatabaseWrapper,
    target: EncryptedColumn,
    plaintext_of: Callable[[str], str | None],
    *,
    encrypt_again: bool = True,
) -> int:
    """Rewrite each non-empty value whose `plaintext_of` is not None, batch by batch."""
    quote = connection.ops.quote_name
    table, column = quote(target.table), quote(target.column)
    assignments = f"{column} = %s"
    if target.index_column:
        assignments += f", {quote(target.index_column)} = %s"
    # Names come from the model's metadata, quoted by the backend; values are bound.
    select = (
        f"SELECT id, {column} FROM {table} WHERE id > %s AND {column} <> '' "  # noqa: S608
        f"ORDER BY id LIMIT {BATCH_SIZE}"
    )
    update = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608
    changed = 0
    last_id = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last_id])
            rows = cursor.fetchall()
            if not rows:
                return changed
            parameters = []
            for pk, value in rows:
                plaintext = plaintext_of(value)
                if plaintext is None:
                    continue
                stored = crypto.encrypt(plaintext) if encrypt_again else plaintext
                index = []
                if target.index_column:
                    index = [
                        crypto.blind_index(plaintext, purpose=target.index_purpose)
                        if encrypt_again
                        else ""
                    ]
                parameters.append([stored, *index, pk])
            if parameters:
                cursor.executemany(update, parameters)
            changed += len(parameters)
            last_id = rows[-1][0]
