"""How a batch's rows reach the database (inserts.py): SQLite's statements handed to the driver
already written with its placeholders, unless statements are being recorded; errors and
fingerprints as before."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.test.utils import CaptureQueriesContext

from souk.core.money import Money
from souk.ledger import inserts
from souk.ledger import services as ledger
from souk.ledger.models import AccountType, JournalEntry, Transfer
from souk.ledger.posting import fingerprint
from souk.ledger.services import Leg, Posting

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's statements; PostgreSQL copies its rows"
)


@pytest.fixture
def accounts() -> None:
    ledger.open_account(key="clearing", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
    for shop in range(3):
        ledger.open_account(key=f"escrow:{shop}", type=AccountType.ESCROW, currency="MAD")


def batch(count: int) -> list[Posting]:
    return [
        Posting(
            key=f"capture:{n}",
            code="payment_captured",
            legs=[Leg("clearing", f"escrow:{leg}", Money(100, "MAD")) for leg in range(3)],
        )
        for n in range(count)
    ]


@sqlite_only
def test_sqlite_inserts_skip_djangos_placeholder_rewrite(accounts, monkeypatch):
    rewritten: list[str] = []
    original = SQLiteCursorWrapper.convert_query  # type: ignore[attr-defined]

    def recording(self, query, *, param_names=None):
        rewritten.append(query)
        return original(self, query, param_names=param_names)

    monkeypatch.setattr(SQLiteCursorWrapper, "convert_query", recording)

    outcomes = ledger.post_entries(batch(4))

    assert all(o.error is None for o in outcomes)
    assert Transfer.objects.count() == 12
    inserts_seen = [q for q in rewritten if q.startswith("INSERT INTO")]
    assert not [q for q in inserts_seen if Transfer._meta.db_table in q or "journal" in q]


@sqlite_only
def test_sqlite_inserts_are_recorded_when_statements_are_captured(accounts):
    with CaptureQueriesContext(connection) as captured:
        ledger.post_entries(batch(4))

    table = connection.ops.quote_name(Transfer._meta.db_table)
    assert len([q for q in captured if q["sql"].startswith(f"INSERT INTO {table}")]) == 1
    assert Transfer.objects.count() == 12


def test_a_key_taken_raises_djangos_integrity_error(accounts):
    ledger.post_entries(batch(1))
    stamp = inserts.timestamp(JournalEntry.objects.get().created_at)

    with pytest.raises(IntegrityError), transaction.atomic():
        inserts.insert_entries(iter([("capture:0", "payment_captured", "", "x", stamp)]), 1)


def test_fingerprint_is_the_sha256_of_the_compact_json_as_before():
    posting = Posting(
        key="k",
        code="payment_captured",
        legs=[Leg("clearing", "escrow:1", Money(100, "MAD"), "sub_order", 'é"1')],
    )
    payload = [
        "payment_captured",
        False,
        [["clearing", "escrow:1", 100, "MAD", "sub_order", 'é"1']],
    ]
    expected = json.dumps(payload, separators=(",", ":")).encode()

    assert fingerprint(posting) == hashlib.sha256(expected).hexdigest()
