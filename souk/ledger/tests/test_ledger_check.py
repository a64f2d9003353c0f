"""`manage.py ledger_check` passes on a sound ledger and names what is broken."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.models import AccountShard, AccountType, JournalEntry, LedgerAccount, Transfer
from souk.ledger.services import Leg

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted() -> None:
    ledger.open_account(key="clearing", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
    ledger.open_account(key="escrow", type=AccountType.ESCROW, currency="MAD")
    for number in range(3):
        ledger.post_entry(
            key=f"capture:{number}",
            code="payment_captured",
            legs=[Leg("clearing", "escrow", Money(1_000 * (number + 1), "MAD"))],
        )


def test_ledger_check_passes_on_a_sound_ledger(posted):
    output = io.StringIO()

    call_command("ledger_check", stdout=output)

    assert "3 transfers, 2 accounts checked" in output.getvalue()
    assert "0 violation(s)" in output.getvalue()


@pytest.mark.ledger_left_broken
def test_ledger_check_fails_when_a_stored_total_drifts_from_its_transfers(posted):
    LedgerAccount.objects.filter(key="escrow").update(debits_posted=7_000)
    errors = io.StringIO()

    with pytest.raises(CommandError, match="2 violation"):
        call_command("ledger_check", stdout=io.StringIO(), stderr=errors)

    assert "totals: escrow: debits_posted is 7000, transfers sum 0" in errors.getvalue()
    assert "negative: escrow: available -1000" in errors.getvalue()


@pytest.mark.ledger_left_broken
def test_ledger_check_names_a_transfer_in_another_currency_and_an_empty_entry(posted):
    Transfer.objects.filter(entry__key="capture:1").update(currency="EUR")
    JournalEntry.objects.create(key="empty", code="payment_captured", fingerprint="x")
    errors = io.StringIO()

    with pytest.raises(CommandError):
        call_command("ledger_check", stdout=io.StringIO(), stderr=errors)

    wrong = Transfer.objects.get(entry__key="capture:1").pk
    assert f"currency: transfer {wrong}: entry capture:1" in errors.getvalue()
    assert "empty_entry: entry empty: no transfers" in errors.getvalue()
    assert "capture:0" not in errors.getvalue()


@pytest.mark.ledger_left_broken
def test_ledger_check_counts_a_hot_accounts_shards(posted):
    clearing = LedgerAccount.objects.get(key="clearing")
    assert clearing.hot
    AccountShard.objects.filter(account=clearing, number=5).update(
        debits_posted=F("debits_posted") + 1
    )
    errors = io.StringIO()

    with pytest.raises(CommandError, match="1 violation"):
        call_command("ledger_check", stdout=io.StringIO(), stderr=errors)

    assert "totals: clearing: debits_posted is 6001, transfers sum 6000" in errors.getvalue()
