"""Property test: any sequence of postings, holds, posts and voids keeps the ledger sound.

A model in plain Python tracks what each account's totals must be; after every step the
database must agree with it and `check_ledger()` must find nothing.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from souk.core.money import Money
from souk.ledger import services as ledger
from souk.ledger.errors import InsufficientBalance, PendingAlreadyResolved
from souk.ledger.models import AccountType, JournalEntry, LedgerAccount, Transfer
from souk.ledger.selectors import check_ledger
from souk.ledger.services import ACCOUNT_RULES, Leg

ACCOUNTS = {
    "clearing": AccountType.PROCESSOR_CLEARING,
    "escrow:a": AccountType.ESCROW,
    "escrow:b": AccountType.ESCROW,
    "payable:a": AccountType.ARTISAN_PAYABLE,
    "payable:b": AccountType.ARTISAN_PAYABLE,
    "revenue": AccountType.COMMISSION_REVENUE,
    "transit": AccountType.PAYOUTS_IN_TRANSIT,
    "bank": AccountType.BANK,
}
names = st.sampled_from(sorted(ACCOUNTS))
amounts = st.integers(min_value=1, max_value=50_000)


class LedgerMachine(RuleBasedStateMachine):
    holds = Bundle("holds")

    def __init__(self) -> None:
        super().__init__()
        # Resolutions first: they protect the pending transfers they point to.
        Transfer.objects.filter(pending__isnull=False).delete()
        Transfer.objects.all().delete()
        JournalEntry.objects.all().delete()
        LedgerAccount.objects.all().delete()
        for key, account_type in ACCOUNTS.items():
            ledger.open_account(key=key, type=account_type, currency="MAD")
        # key -> [debits_posted, credits_posted, debits_pending, credits_pending]
        self.model: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        self.counter = 0

    def next_key(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}:{self.counter}"

    def available_after(self, key: str, totals: list[int]) -> int:
        debits, credits, debits_pending, credits_pending = totals
        if ACCOUNT_RULES[ACCOUNTS[key]][0] == "debit":
            return debits - credits - credits_pending
        return credits - debits - debits_pending

    def allowed(self, changes: dict[str, list[int]]) -> bool:
        for key, totals in changes.items():
            may_go_negative = ACCOUNT_RULES[ACCOUNTS[key]][1]
            if not may_go_negative and self.available_after(key, totals) < 0:
                return False
        return True

    def with_legs(self, legs: list[tuple[str, str, int]], pending: bool) -> dict[str, list[int]]:
        changes = {key: list(self.model[key]) for leg in legs for key in leg[:2]}
        offset = 2 if pending else 0
        for debit, credit, amount in legs:
            changes[debit][0 + offset] += amount
            changes[credit][1 + offset] += amount
        return changes

    @rule(
        legs=st.lists(st.tuples(names, names, amounts), min_size=1, max_size=3).filter(
            lambda legs: all(debit != credit for debit, credit, _ in legs)
        )
    )
    def post(self, legs):
        changes = self.with_legs(legs, pending=False)
        key = self.next_key("entry")
        try:
            ledger.post_entry(
                key=key,
                code="test",
                legs=[Leg(debit, credit, Money(amount, "MAD")) for debit, credit, amount in legs],
            )
        except InsufficientBalance:
            assert not self.allowed(changes)
            return
        assert self.allowed(changes)
        self.model.update(changes)
        # A replay has no effect.
        ledger.post_entry(
            key=key,
            code="test",
            legs=[Leg(debit, credit, Money(amount, "MAD")) for debit, credit, amount in legs],
        )

    @rule(target=holds, debit=names, credit=names, amount=amounts)
    def hold(self, debit, credit, amount):
        if debit == credit:
            return None
        changes = self.with_legs([(debit, credit, amount)], pending=True)
        key = self.next_key("hold")
        try:
            ledger.post_entry(
                key=key,
                code="hold",
                legs=[Leg(debit, credit, Money(amount, "MAD"))],
                pending=True,
            )
        except InsufficientBalance:
            assert not self.allowed(changes)
            return None
        assert self.allowed(changes)
        self.model.update(changes)
        return (key, debit, credit, amount)

    @rule(held=consumes(holds), post=st.booleans())
    def resolve(self, held, post):
        if held is None:
            return
        key, debit, credit, amount = held
        self.model[debit][2] -= amount
        self.model[credit][3] -= amount
        if post:
            self.model[debit][0] += amount
            self.model[credit][1] += amount
            ledger.post_pending(key=self.next_key("post"), pending_key=key)
        else:
            ledger.void_pending(key=self.next_key("void"), pending_key=key)
        with pytest.raises(PendingAlreadyResolved):
            ledger.void_pending(key=self.next_key("again"), pending_key=key)

    @invariant()
    def database_matches_the_model_and_the_check(self):
        for account in LedgerAccount.objects.all():
            # A hot account's totals are its row's plus its shards' (docs/ledger.md).
            assert list(account.totals) == self.model[account.key]
        assert check_ledger() == []


@pytest.mark.django_db
def test_any_sequence_of_postings_keeps_the_ledger_sound():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
