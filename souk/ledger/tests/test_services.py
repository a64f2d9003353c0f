"""Posting to the ledger: balances, idempotency, atomicity, holds."""

from __future__ import annotations

import pytest

from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.errors import (
    CurrencyMismatch,
    EntryConflict,
    InsufficientBalance,
    InvalidTransfer,
    PendingAlreadyResolved,
    UnknownAccount,
)
from souk.ledger.models import AccountType, JournalEntry, LedgerAccount, Transfer
from souk.ledger.selectors import get_balance
from souk.ledger.services import Leg

pytestmark = pytest.mark.django_db


def mad(amount: int) -> Money:
    return Money(amount, "MAD")


@pytest.fixture
def accounts() -> None:
    ledger.open_account(key="clearing:cmi", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
    ledger.open_account(key="escrow:shop-1", type=AccountType.ESCROW, currency="MAD")
    ledger.open_account(key="payable:shop-1", type=AccountType.ARTISAN_PAYABLE, currency="MAD")
    ledger.open_account(
        key="revenue:commission", type=AccountType.COMMISSION_REVENUE, currency="MAD"
    )
    ledger.open_account(key="clearing:eur", type=AccountType.PROCESSOR_CLEARING, currency="EUR")


def capture(amount: int, key: str = "capture:order-1") -> JournalEntry:
    return ledger.post_entry(
        key=key, code="payment_captured", legs=[Leg("clearing:cmi", "escrow:shop-1", mad(amount))]
    )


def test_a_capture_moves_money_from_clearing_to_escrow(accounts):
    capture(45_000)

    assert get_balance(key="clearing:cmi") == mad(45_000)
    assert get_balance(key="escrow:shop-1") == mad(45_000)


def test_posting_the_same_key_twice_has_one_effect(accounts):
    first = capture(45_000)

    second = capture(45_000)

    assert second.pk == first.pk
    assert Transfer.objects.count() == 1
    assert get_balance(key="escrow:shop-1") == mad(45_000)


def test_the_same_key_with_other_content_is_refused_and_changes_nothing(accounts):
    capture(45_000)

    with pytest.raises(EntryConflict):
        capture(50_000)

    assert Transfer.objects.count() == 1
    assert get_balance(key="escrow:shop-1") == mad(45_000)


def test_a_multi_leg_entry_posts_all_legs_or_none(accounts):
    capture(10_000)

    # 100 MAD completed: 88 to the artisan, 12 commission; the second leg overdraws escrow.
    with pytest.raises(InsufficientBalance):
        ledger.post_entry(
            key="complete:sub-1",
            code="suborder_completed",
            legs=[
                Leg("escrow:shop-1", "payable:shop-1", mad(8_800)),
                Leg("escrow:shop-1", "revenue:commission", mad(1_300)),
            ],
        )

    assert get_balance(key="escrow:shop-1") == mad(10_000)
    assert get_balance(key="payable:shop-1") == mad(0)
    assert not JournalEntry.objects.filter(key="complete:sub-1").exists()


@pytest.mark.parametrize(
    ("leg", "error"),
    [
        (Leg("clearing:cmi", "escrow:nobody", mad(100)), UnknownAccount),
        (Leg("clearing:eur", "escrow:shop-1", Money(100, "EUR")), CurrencyMismatch),
        (Leg("clearing:cmi", "escrow:shop-1", mad(0)), InvalidTransfer),
        (Leg("clearing:cmi", "clearing:cmi", mad(100)), InvalidTransfer),
    ],
)
def test_invalid_legs_are_refused_and_nothing_is_written(accounts, leg, error):
    with pytest.raises(error):
        ledger.post_entry(key="bad", code="payment_captured", legs=[leg])

    assert JournalEntry.objects.count() == 0
    assert Transfer.objects.count() == 0
    assert set(LedgerAccount.objects.values_list("debits_posted", flat=True)) == {0}


def test_a_hold_reduces_what_is_available_until_posted(accounts):
    capture(20_000)

    ledger.post_entry(
        key="hold:payout-1",
        code="payout_hold",
        legs=[Leg("escrow:shop-1", "payable:shop-1", mad(15_000))],
        pending=True,
    )
    escrow = LedgerAccount.objects.get(key="escrow:shop-1")
    assert (escrow.balance, escrow.available) == (mad(20_000), mad(5_000))

    with pytest.raises(InsufficientBalance):
        ledger.post_entry(
            key="hold:payout-2",
            code="payout_hold",
            legs=[Leg("escrow:shop-1", "payable:shop-1", mad(6_000))],
            pending=True,
        )

    ledger.post_pending(key="post:payout-1", pending_key="hold:payout-1")
    escrow.refresh_from_db()
    assert (escrow.balance, escrow.available) == (mad(5_000), mad(5_000))
    assert get_balance(key="payable:shop-1") == mad(15_000)


def test_a_voided_hold_moves_nothing_and_cannot_be_posted_after(accounts):
    capture(20_000)
    ledger.post_entry(
        key="hold:1",
        code="payout_hold",
        legs=[Leg("escrow:shop-1", "payable:shop-1", mad(15_000))],
        pending=True,
    )

    ledger.void_pending(key="void:1", pending_key="hold:1")
    ledger.void_pending(key="void:1", pending_key="hold:1")

    escrow = LedgerAccount.objects.get(key="escrow:shop-1")
    assert (escrow.balance, escrow.available) == (mad(20_000), mad(20_000))
    with pytest.raises(PendingAlreadyResolved):
        ledger.post_pending(key="post:1", pending_key="hold:1")
    assert get_balance(key="payable:shop-1") == mad(0)


def test_an_account_allowed_to_go_negative_records_a_debt(accounts):
    ledger.open_account(
        key="payable:shop-2",
        type=AccountType.ARTISAN_PAYABLE,
        currency="MAD",
        may_go_negative=True,
    )

    ledger.post_entry(
        key="refund-after-payout",
        code="refund",
        legs=[Leg("payable:shop-2", "clearing:cmi", mad(3_000))],
    )

    assert get_balance(key="payable:shop-2") == mad(-3_000)
