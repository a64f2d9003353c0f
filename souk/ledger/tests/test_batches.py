"""Posting many business events in one transaction (`post_entries`): each event on its own."""

from __future__ import annotations

import pytest

from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.errors import EntryConflict, InsufficientBalance, InvalidTransfer, UnknownAccount
from souk.ledger.models import AccountShard, AccountType, JournalEntry, LedgerAccount, Transfer
from souk.ledger.selectors import get_account, get_balance
from souk.ledger.services import Leg, Posting

pytestmark = pytest.mark.django_db


def mad(amount: int) -> Money:
    return Money(amount, "MAD")


@pytest.fixture
def accounts() -> None:
    ledger.open_account(key="clearing:cmi", type=AccountType.PROCESSOR_CLEARING, currency="MAD")
    ledger.open_account(key="commission", type=AccountType.COMMISSION_REVENUE, currency="MAD")
    for shop in (1, 2):
        ledger.open_account(key=f"escrow:{shop}", type=AccountType.ESCROW, currency="MAD")
        ledger.open_account(key=f"payable:{shop}", type=AccountType.ARTISAN_PAYABLE, currency="MAD")


def capture(key: str, amount: int, shop: int = 1) -> Posting:
    return Posting(
        key=key, code="payment_captured", legs=[Leg("clearing:cmi", f"escrow:{shop}", mad(amount))]
    )


def release(key: str, amount: int, shop: int = 1, commission: int = 0) -> Posting:
    legs = [Leg(f"escrow:{shop}", f"payable:{shop}", mad(amount))]
    if commission:
        legs.append(Leg(f"escrow:{shop}", "commission", mad(commission)))
    return Posting(key=key, code="sub_order_completed", legs=legs)


def test_a_batch_posts_every_event_as_its_own_entry(accounts):
    outcomes = ledger.post_entries(
        [
            capture("capture:1", 10_000, shop=1),
            capture("capture:2", 5_000, shop=2),
            release("release:1", 9_000, shop=1, commission=1_000),
        ]
    )

    assert [o.key for o in outcomes] == ["capture:1", "capture:2", "release:1"]
    assert all(o.error is None and not o.replayed for o in outcomes)
    assert [o.entry.key for o in outcomes if o.entry] == ["capture:1", "capture:2", "release:1"]
    assert JournalEntry.objects.count() == 3
    assert Transfer.objects.filter(entry__key="release:1").count() == 2
    assert get_balance(key="clearing:cmi") == mad(15_000)
    assert get_balance(key="escrow:1") == mad(0)
    assert get_balance(key="escrow:2") == mad(5_000)
    assert get_balance(key="payable:1") == mad(9_000)
    assert get_balance(key="commission") == mad(1_000)


def test_an_event_repeated_in_a_batch_or_in_a_later_one_is_posted_once(accounts):
    first = ledger.post_entries([capture("capture:1", 10_000), capture("capture:1", 10_000)])

    again = ledger.post_entries([capture("capture:1", 10_000), capture("capture:2", 500)])

    assert (first[0].replayed, first[1].replayed) == (False, True)
    assert first[1].entry is not None
    assert first[0].entry is not None
    assert first[1].entry.pk == first[0].entry.pk
    assert again[0].replayed
    assert again[0].entry is not None
    assert again[0].entry.pk == first[0].entry.pk
    assert not again[1].replayed
    assert again[1].error is None
    assert Transfer.objects.filter(entry__key="capture:1").count() == 1
    assert get_balance(key="escrow:1") == mad(10_500)


def test_a_key_reused_for_other_content_is_refused_and_the_others_are_posted(accounts):
    ledger.post_entry(key="capture:1", code="payment_captured", legs=capture("x", 100).legs)

    outcomes = ledger.post_entries(
        [
            capture("capture:1", 999),  # another amount under a posted key
            capture("capture:2", 200),
            capture("capture:2", 300),  # another amount under a key of this batch
        ]
    )

    assert isinstance(outcomes[0].error, EntryConflict)
    assert outcomes[0].entry is None
    assert outcomes[1].error is None
    assert outcomes[1].entry is not None
    assert isinstance(outcomes[2].error, EntryConflict)
    assert outcomes[2].entry is None
    assert get_balance(key="escrow:1") == mad(300)
    assert JournalEntry.objects.count() == 2


def test_balances_are_checked_event_after_event_and_a_refused_one_changes_nothing(accounts):
    ledger.post_entry(key="capture:0", code="payment_captured", legs=capture("x", 10_000).legs)

    outcomes = ledger.post_entries(
        [
            release("release:1", 6_000),  # 4,000 left
            release("release:2", 6_000),  # more than what is left: refused
            capture("capture:1", 5_000),  # 9,000
            release("release:3", 8_000, commission=1_000),  # exactly what is left
            release("release:4", 1),  # nothing left
        ]
    )

    errors = [type(o.error) if o.error else None for o in outcomes]
    assert errors == [None, InsufficientBalance, None, None, InsufficientBalance]
    assert outcomes[1].entry is None
    assert get_balance(key="escrow:1") == mad(0)
    assert get_balance(key="payable:1") == mad(14_000)
    assert get_balance(key="commission") == mad(1_000)
    assert not JournalEntry.objects.filter(key__in=["release:2", "release:4"]).exists()


def test_a_refused_events_key_stays_free_for_a_later_posting(accounts):
    ledger.post_entry(key="capture:0", code="payment_captured", legs=capture("x", 1_000).legs)

    (refused,) = ledger.post_entries([release("release:1", 6_000)])
    ledger.post_entry(key="capture:1", code="payment_captured", legs=capture("y", 9_000).legs)
    (posted,) = ledger.post_entries([release("release:1", 6_000)])

    assert isinstance(refused.error, InsufficientBalance)
    assert posted.error is None
    assert not posted.replayed
    assert posted.entry is not None
    assert posted.entry.key == "release:1"
    assert get_balance(key="escrow:1") == mad(4_000)
    assert Transfer.objects.filter(entry__key="release:1").count() == 1


def test_invalid_events_are_refused_alone(accounts):
    outcomes = ledger.post_entries(
        [
            Posting(key="bad:1", code="x", legs=[Leg("escrow:1", "escrow:1", mad(5))]),
            Posting(key="bad:2", code="x", legs=[Leg("nowhere", "escrow:1", mad(5))]),
            Posting(key="bad:3", code="x", legs=[]),
            capture("capture:1", 700),
        ]
    )

    assert isinstance(outcomes[0].error, InvalidTransfer)
    assert isinstance(outcomes[1].error, UnknownAccount)
    assert isinstance(outcomes[2].error, InvalidTransfer)
    assert outcomes[3].error is None
    assert list(JournalEntry.objects.values_list("key", flat=True)) == ["capture:1"]


def test_held_amounts_in_a_batch_are_reserved_then_posted(accounts):
    ledger.post_entry(key="capture:0", code="payment_captured", legs=capture("x", 10_000).legs)
    hold = Posting(
        key="hold:1",
        code="sub_order_completed",
        legs=[Leg("escrow:1", "payable:1", mad(7_000))],
        pending=True,
    )

    outcomes = ledger.post_entries([hold, release("release:1", 4_000)])
    ledger.post_pending(key="post:1", pending_key="hold:1")

    assert outcomes[0].error is None
    assert isinstance(outcomes[1].error, InsufficientBalance)  # 7,000 of 10,000 held
    assert get_balance(key="escrow:1") == mad(3_000)
    assert get_balance(key="payable:1") == mad(7_000)


def test_a_batch_of_one_is_post_entry(accounts):
    alone = ledger.post_entry(
        key="capture:1", code="payment_captured", legs=capture("x", 1_234).legs
    )

    (outcome,) = ledger.post_entries([capture("capture:1", 1_234)])
    (other,) = ledger.post_entries([capture("capture:2", 1_234)])

    assert outcome.replayed
    assert outcome.entry is not None
    assert outcome.entry.pk == alone.pk
    assert other.entry is not None
    assert other.entry.fingerprint == alone.fingerprint  # same content, same digest
    shape = ("debit_account__key", "credit_account__key", "amount", "code", "status")
    assert list(Transfer.objects.filter(entry=alone).values_list(*shape)) == list(
        Transfer.objects.filter(entry=other.entry).values_list(*shape)
    )
    with pytest.raises(EntryConflict):
        ledger.post_entry(key="capture:2", code="payment_captured", legs=capture("x", 1).legs)


def test_a_hot_account_is_added_to_in_its_shards_not_in_its_row(accounts):
    ledger.post_entries([capture(f"capture:{n}", 1_000) for n in range(5)])
    ledger.post_entry(
        key="release", code="sub_order_completed", legs=release("x", 4_000, 1, 1_000).legs
    )

    clearing = LedgerAccount.objects.get(key="clearing:cmi")
    assert clearing.hot
    assert get_account(key="commission").hot
    assert not get_account(key="escrow:1").hot
    assert (clearing.debits_posted, clearing.credits_posted) == (0, 0)  # its row untouched
    shard_debits = sum(
        AccountShard.objects.filter(account=clearing).values_list("debits_posted", flat=True)
    )
    assert shard_debits == 5_000
    assert get_balance(key="clearing:cmi") == mad(5_000)
    assert get_balance(key="commission") == mad(1_000)
