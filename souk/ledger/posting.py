"""Posting many business events in one transaction, set-based: the engine behind
`services.post_entry` (a batch of one) and `services.post_entries` (docs/ledger.md, "Posting").

A batch costs a handful of statements whatever its size: one read of the keys already posted,
one locking read of the normal accounts touched (primary-key order) and one plain read of the
hot ones, one insert of the entries, inserts of the transfers, one UPDATE of the normal
accounts' totals and one of the hot accounts' shards. The events are checked in order against
the locked totals, each on its own: an event that fails is left out and reported, and the
ones after it are checked as if it had never been asked (exactly as if each had been posted
alone, one after the other).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from souk.core import events
from souk.core.money import Money
from souk.ledger import inserts, locks, totals
from souk.ledger.errors import (
    CurrencyMismatch,
    EntryConflict,
    InsufficientBalance,
    InvalidTransfer,
    LedgerError,
    UnknownAccount,
)
from souk.ledger.events import EntryPosted, PostedLeg
from souk.ledger.models import (
    TOTAL_FIELDS,
    JournalEntry,
    LedgerAccount,
    NormalSide,
    Transfer,
    TransferStatus,
)
from souk.ledger.selectors import posted_leg

# Concurrent batches posting one key: the loser's insert fails on the unique key; the batch
# is read again (the key is then a replay) at most this many times.
_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Leg:
    """One transfer of an entry: `amount` from the `debit` account to the `credit` account."""

    debit: str
    credit: str
    amount: Money
    reference_type: str = ""
    reference_id: str = ""


@dataclass(frozen=True, slots=True)
class Posting:
    """One business event to post: its legs, all or none, idempotent on `key`."""

    key: str
    code: str
    legs: Sequence[Leg]
    description: str = ""
    pending: bool = False


@dataclass(slots=True)
class Outcome:
    """What became of one posting of a batch: its entry (new, or the one already posted under
    its key when `replayed`), or the error that kept it out (nothing of it was written)."""

    key: str
    entry: JournalEntry | None = None
    replayed: bool = False
    error: LedgerError | None = None


def fingerprint(posting: Posting) -> str:
    payload = [
        posting.code,
        posting.pending,
        [
            [
                leg.debit,
                leg.credit,
                leg.amount.amount,
                leg.amount.currency,
                leg.reference_type,
                leg.reference_id,
            ]
            for leg in posting.legs
        ],
    ]
    return hashlib.sha256(_JSON.encode(payload).encode()).hexdigest()


# `json.dumps(payload, separators=(",", ":"))`, the same text, without building an encoder for
# every posting: the fingerprints of entries already posted must not change.
_JSON = json.JSONEncoder(separators=(",", ":"))


def post_entries(postings: Sequence[Posting]) -> list[Outcome]:
    """Post `postings` in one transaction (a savepoint inside the caller's); one outcome each,
    in order."""
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return _post(postings)
        except IntegrityError:
            # Another transaction committed one of the keys first; read the batch again.
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def lock(keys: set[str]) -> dict[str, LedgerAccount]:
    """The accounts `keys` as models: the normal ones locked (primary-key order), the hot ones
    read without a lock (only added to, never checked). Missing keys are left out."""
    accounts = {account.key: account for account in locks.accounts_for_update(keys=keys)}
    others = keys - set(accounts)
    if others:
        accounts.update(
            (account.key, account) for account in LedgerAccount.objects.filter(key__in=others)
        )
    return accounts


def available(account: LedgerAccount, figures: Sequence[int]) -> int:
    """The available balance of `account` if its totals were `figures`."""
    debits, credits, debits_pending, credits_pending = figures
    if account.normal_side == NormalSide.DEBIT:
        return debits - credits - credits_pending
    return credits - debits - debits_pending


@dataclass(slots=True, eq=False)
class _Account:
    """What a batch needs of an account, read without building a model (`_load`)."""

    id: int
    key: str
    type: str
    currency: str
    debit_normal: bool
    # Checked: not hot and may not go negative; `available` is then its running figure.
    checked: bool
    hot: bool
    owner: str
    available: int


_FIELDS = (
    "id",
    "key",
    "type",
    "currency",
    "normal_side",
    "may_go_negative",
    "hot",
    "owner_type",
    "owner_id",
    *TOTAL_FIELDS,
)


def _account(row: tuple[Any, ...]) -> _Account:
    pk, key, kind, currency, side, negative, hot, owner_type, owner_id, *figures = row
    debits, credits, debits_pending, credits_pending = figures
    debit_normal = side == NormalSide.DEBIT
    held = credits_pending if debit_normal else debits_pending
    return _Account(
        id=pk,
        key=key,
        type=kind,
        currency=currency,
        debit_normal=debit_normal,
        checked=not hot and not negative,
        hot=hot,
        owner=f"{owner_type}:{owner_id}" if owner_type else "",
        available=(debits - credits if debit_normal else credits - debits) - held,
    )


def _load(keys: set[str]) -> dict[str, _Account]:
    """Lock the normal accounts `keys` (primary-key order) and read them and the hot ones."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    locked = inserts.select_in(
        LedgerAccount._meta.db_table,
        _FIELDS,
        "key",
        sorted(keys),
        "hot = %s",
        [False],
        suffix=" ORDER BY id" + lock,
    )
    accounts = {row[1]: _account(row) for row in locked}
    others = keys - set(accounts)
    if others:
        rows = inserts.select_in(LedgerAccount._meta.db_table, _FIELDS, "key", sorted(others))
        accounts.update((row[1], _account(row)) for row in rows)
    return accounts


def _existing(keys: set[str]) -> dict[str, JournalEntry]:
    """The entries already posted under `keys`."""
    rows = inserts.select_in(JournalEntry._meta.db_table, ("id",), "key", sorted(keys))
    if not rows:
        return {}
    return {e.key: e for e in JournalEntry.objects.filter(pk__in=[pk for (pk,) in rows])}


def _post(postings: Sequence[Posting]) -> list[Outcome]:
    outcomes = [Outcome(key=posting.key) for posting in postings]
    prints: dict[int, str] = {}

    def print_of(index: int) -> str:
        # Computed when first needed: for a fresh posting, while its entry is copied.
        found = prints.get(index)
        if found is None:
            found = prints[index] = fingerprint(postings[index])
        return found

    existing = _existing({p.key for p in postings})
    first_of_key: dict[str, int] = {}
    fresh: list[int] = []
    for index, posting in enumerate(postings):
        outcome = outcomes[index]
        if not posting.legs or any(
            leg.amount.amount <= 0 or leg.debit == leg.credit for leg in posting.legs
        ):
            outcome.error = InvalidTransfer()
        elif (entry := existing.get(posting.key)) is not None:
            if entry.fingerprint == print_of(index):
                outcome.entry, outcome.replayed = entry, True
            else:
                outcome.error = EntryConflict(detail={"key": posting.key})
        elif (first := first_of_key.get(posting.key)) is not None:
            # The same key earlier in this batch: a replay of it once it is posted.
            if print_of(first) != print_of(index):
                outcome.error = EntryConflict(detail={"key": posting.key})
        else:
            first_of_key[posting.key] = index
            fresh.append(index)
    if fresh:
        keys = {key for i in fresh for leg in postings[i].legs for key in (leg.debit, leg.credit)}
        _write(postings, fresh, outcomes, print_of, _load(keys))
    for index, posting in enumerate(postings):
        outcome = outcomes[index]
        first = first_of_key.get(posting.key)
        if outcome.entry is None and outcome.error is None and first is not None and first != index:
            # A repeat within the batch: what became of the first is its outcome too.
            outcome.entry, outcome.error = outcomes[first].entry, outcomes[first].error
            outcome.replayed = outcome.entry is not None
    return outcomes


# A leg with its accounts read: (debit, credit, amount, leg).
_Resolved = tuple[_Account, _Account, Money, Leg]


def _check(
    posting: Posting,
    outcome: Outcome,
    accounts: dict[str, _Account],
    movements: dict[int, list[int]],
) -> list[_Resolved] | None:
    """Whether `posting` holds after the ones accepted before it: if so its legs with their
    accounts, its movements added to `movements` and to the running available balances; if
    not None, `outcome` gets the error and nothing changes."""
    try:
        legs = [
            (accounts[leg.debit], accounts[leg.credit], leg.amount, leg) for leg in posting.legs
        ]
    except KeyError:
        missing = sorted(
            {k for leg in posting.legs for k in (leg.debit, leg.credit)} - set(accounts)
        )
        outcome.error = UnknownAccount(detail={"accounts": missing})
        return None
    # What the posting takes from each checked account's available balance: a debit from a
    # credit-normal account, a credit to a debit-normal one (held or posted alike).
    taken: dict[_Account, int] = {}
    given: dict[_Account, int] = {}
    for debit, credit, money, _leg in legs:
        if debit.currency != money.currency or credit.currency != money.currency:
            outcome.error = CurrencyMismatch(detail={"debit": debit.key, "credit": credit.key})
            return None
        amount = money.amount
        if debit.checked:
            book = given if debit.debit_normal else taken
            book[debit] = book.get(debit, 0) + amount
        if credit.checked:
            book = taken if credit.debit_normal else given
            book[credit] = book.get(credit, 0) + amount
    gained = {} if posting.pending else given  # money held for an account is not yet its own
    for account, amount in taken.items():
        if account.available + gained.get(account, 0) - amount < 0:
            outcome.error = InsufficientBalance(detail={"account": account.key})
            return None
    for account, amount in gained.items():
        account.available += amount
    for account, amount in taken.items():
        account.available -= amount
    side = 2 if posting.pending else 0
    for debit, credit, money, _leg in legs:
        movements[debit.id][side] += money.amount
        movements[credit.id][side + 1] += money.amount
    return legs


def _write(
    postings: Sequence[Posting],
    fresh: list[int],
    outcomes: list[Outcome],
    print_of: Callable[[int], str],
    accounts: dict[str, _Account],
) -> None:
    """Insert the fresh entries, then check each posting in order while its transfers are
    copied (the ones refused lose their entry again), add the movements to the totals, announce.

    The order lets the database work while Python does: on PostgreSQL the server inserts the
    entries while the fingerprints are computed, and inserts (and checks the foreign keys of)
    the transfers already sent while the next postings are checked and their rows and events
    built. Everything is one transaction: an entry refused is deleted before anyone sees it."""
    now = timezone.now()
    stamp = inserts.timestamp(now)
    ids = inserts.insert_entries(
        (
            (postings[i].key, postings[i].code, postings[i].description, print_of(i), stamp)
            for i in fresh
        ),
        count=len(fresh),
    )
    movements: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    refused: list[int] = []
    announced: list[EntryPosted] = []

    def rows() -> Iterator[tuple[Any, ...]]:
        for index, entry_id in zip(fresh, ids, strict=True):
            posting = postings[index]
            legs = _check(posting, outcomes[index], accounts, movements)
            if legs is None:
                refused.append(entry_id)
                continue
            outcomes[index].entry = JournalEntry(
                entry_id, posting.key, posting.code, posting.description, print_of(index), now
            )
            status = _PENDING if posting.pending else _POSTED
            code = posting.code
            # Each leg's row and, for money posted, its `PostedLeg`, in one pass over the legs.
            posted: list[PostedLeg] | None = None if posting.pending else []
            for debit, credit, money, leg in legs:
                amount, currency = money.amount, money.currency
                reference_type, reference_id = leg.reference_type, leg.reference_id
                yield (
                    entry_id,
                    debit.id,
                    credit.id,
                    amount,
                    currency,
                    code,
                    status,
                    reference_type,
                    reference_id,
                    stamp,
                )
                if posted is not None:
                    posted.append(
                        PostedLeg(
                            code,
                            debit.type,
                            debit.owner,
                            credit.type,
                            credit.owner,
                            amount,
                            currency,
                            reference_type,
                            reference_id,
                        )
                    )
            if posted is not None:
                announced.append(
                    EntryPosted(key=posting.key, code=code, posted_at=now, legs=tuple(posted))
                )

    inserts.insert_transfers(rows())
    if refused:
        inserts.delete_entries(refused)
    hot = {account.id for account in accounts.values() if account.hot}
    totals.add_movements(movements=movements, hot=hot)
    for event in announced:
        events.publish(event)


_PENDING = TransferStatus.PENDING.value
_POSTED = TransferStatus.POSTED.value


def announce(*, entry: JournalEntry, transfers: Sequence[Transfer]) -> None:
    """Tell the apps above, inside this transaction, what was posted (held money is not)."""
    legs = tuple(posted_leg(t) for t in transfers if t.status == TransferStatus.POSTED)
    if legs:
        events.publish(
            EntryPosted(key=entry.key, code=entry.code, posted_at=entry.created_at, legs=legs)
        )
