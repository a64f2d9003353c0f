"""The one way to write to the ledger (STYLE.md §5).

`post_entries` posts many business events in one transaction, each atomic and idempotent on its
own key; `post_entry` is a batch of one through the same code (`posting.py`). `post_pending` and
`void_pending` resolve a two-phase (pending) entry such as an escrow hold. Normal accounts are
locked (primary-key order) before their balances are checked; hot accounts are never locked and
only added to (`totals.py`); either everything of an event is written or nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction

from souk.ledger import locks, totals
from souk.ledger.errors import (
    CurrencyMismatch,
    EntryConflict,
    InsufficientBalance,
    InvalidTransfer,
    NotPending,
    PendingAlreadyResolved,
)
from souk.ledger.models import (
    AccountType,
    JournalEntry,
    LedgerAccount,
    NormalSide,
    Transfer,
    TransferStatus,
)
from souk.ledger.posting import Leg as Leg
from souk.ledger.posting import Outcome as Outcome
from souk.ledger.posting import Posting as Posting
from souk.ledger.posting import announce, available, lock
from souk.ledger.posting import post_entries as post_entries

# Normal side and whether the balance may go below zero, per account type (docs/ledger.md).
ACCOUNT_RULES: dict[str, tuple[NormalSide, bool]] = {
    AccountType.PROCESSOR_CLEARING: (NormalSide.DEBIT, True),
    AccountType.ESCROW: (NormalSide.CREDIT, False),
    AccountType.ARTISAN_PAYABLE: (NormalSide.CREDIT, False),
    AccountType.ARTISAN_DEBT: (NormalSide.DEBIT, False),
    AccountType.COMMISSION_REVENUE: (NormalSide.CREDIT, True),
    AccountType.PROCESSOR_FEES: (NormalSide.DEBIT, True),
    AccountType.REFUNDS_CLEARING: (NormalSide.CREDIT, True),
    AccountType.COD_RECEIVABLE: (NormalSide.DEBIT, True),
    AccountType.PAYOUTS_IN_TRANSIT: (NormalSide.CREDIT, False),
    AccountType.BANK: (NormalSide.DEBIT, True),
    AccountType.FX: (NormalSide.DEBIT, True),
    AccountType.PARTNER_RECEIVABLE: (NormalSide.DEBIT, False),
    AccountType.PARTNER_FINANCING: (NormalSide.CREDIT, False),
    AccountType.PARTNER_PAYABLE: (NormalSide.CREDIT, False),
}
# The platform's own accounts that every order (or every refund, settlement line...) moves:
# hot, so that postings do not queue on their rows (docs/ledger.md, "Hot accounts").
HOT_TYPES = frozenset(
    {
        AccountType.PROCESSOR_CLEARING,
        AccountType.COMMISSION_REVENUE,
        AccountType.PROCESSOR_FEES,
        AccountType.REFUNDS_CLEARING,
        AccountType.COD_RECEIVABLE,
        AccountType.BANK,
        AccountType.FX,
    }
)


def open_account(
    *,
    key: str,
    type: AccountType,
    currency: str,
    owner_type: str = "",
    owner_id: str = "",
    may_go_negative: bool | None = None,
) -> LedgerAccount:
    """Create the account `key` if it does not exist yet (idempotent); return it.

    The normal side and the may-go-negative flag come from ACCOUNT_RULES unless overridden
    (e.g. an artisan payable allowed to carry a debt)."""
    normal_side, default_negative = ACCOUNT_RULES[type]
    negative = default_negative if may_go_negative is None else may_go_negative
    account, created = LedgerAccount.objects.get_or_create(
        key=key,
        defaults={
            "type": type,
            "currency": currency,
            "normal_side": normal_side,
            "may_go_negative": negative,
            "hot": type in HOT_TYPES and negative,
            "owner_type": owner_type,
            "owner_id": owner_id,
        },
    )
    if account.currency != currency or account.type != type:
        raise CurrencyMismatch(detail={"account": key})
    if created and account.hot:
        totals.open_shards(account_ids=[account.pk])
    return account


def post_entry(
    *,
    key: str,
    code: str,
    legs: Sequence[Leg],
    description: str = "",
    pending: bool = False,
) -> JournalEntry:
    """Post the legs of one business event, all or none: `post_entries` with one posting.

    Idempotent on `key`: posting the same key and content again returns the first entry and
    changes nothing; the same key with other content raises EntryConflict. With `pending`, the
    amounts are held (pending totals) until `post_pending` or `void_pending` resolves them.
    Raises UnknownAccount, CurrencyMismatch, InvalidTransfer, InsufficientBalance.
    """
    posting = Posting(key=key, code=code, legs=legs, description=description, pending=pending)
    (outcome,) = post_entries([posting])
    if outcome.entry is None:
        raise outcome.error or InvalidTransfer()
    return outcome.entry


def lock_accounts(*, keys: Iterable[str]) -> None:
    """Lock the accounts `keys` now, in one statement by primary key, inside the caller's
    transaction: for a use case that posts several entries, so that it takes every account it
    will touch in one go instead of entry by entry (docs/architecture.md, "Lock order").
    Hot accounts are never locked (docs/ledger.md, "Hot accounts")."""
    lock(set(keys))


def post_pending(*, key: str, pending_key: str) -> JournalEntry:
    """Turn every pending transfer of entry `pending_key` into a posted one (idempotent on key)."""
    return _resolve(key=key, pending_key=pending_key, post=True)


def void_pending(*, key: str, pending_key: str) -> JournalEntry:
    """Release every pending transfer of entry `pending_key`: no money moves (idempotent)."""
    return _resolve(key=key, pending_key=pending_key, post=False)


def _resolve(*, key: str, pending_key: str, post: bool) -> JournalEntry:
    code = "post_pending" if post else "void_pending"
    fingerprint = hashlib.sha256(f"{code}:{pending_key}".encode()).hexdigest()
    replay = _replayed(key=key, fingerprint=fingerprint)
    if replay is not None:
        return replay
    with transaction.atomic():
        # Locking the pending entry serialises a post racing a void: exactly one resolves it.
        pending_entry = locks.entry_for_update(pending_key).first()
        if pending_entry is None:
            raise NotPending(detail={"key": pending_key})
        held = list(pending_entry.transfers.order_by("pk"))
        if not held or held[0].status in _NEVER_PENDING:
            raise NotPending(detail={"key": pending_key})
        if held[0].status != TransferStatus.PENDING:
            raise PendingAlreadyResolved(detail={"key": pending_key})
        entry = JournalEntry.objects.create(
            key=key, code=code, description=pending_entry.description, fingerprint=fingerprint
        )
        ids = {t.debit_account_id for t in held} | {t.credit_account_id for t in held}
        keys = set(LedgerAccount.objects.filter(pk__in=ids).values_list("key", flat=True))
        accounts = {account.pk: account for account in lock(keys).values()}
        resolutions = [
            Transfer(
                entry=entry,
                debit_account=accounts[held_transfer.debit_account_id],
                credit_account=accounts[held_transfer.credit_account_id],
                amount=held_transfer.amount,
                currency=held_transfer.currency,
                code=held_transfer.code,
                status=TransferStatus.POSTED if post else TransferStatus.VOIDED,
                pending=held_transfer,
                reference_type=held_transfer.reference_type,
                reference_id=held_transfer.reference_id,
            )
            for held_transfer in held
        ]
        _apply(transfers=resolutions, released=held)
        Transfer.objects.bulk_create(resolutions)
        Transfer.objects.filter(pk__in=[t.pk for t in held]).update(
            status=TransferStatus.POSTED_FROM_PENDING if post else TransferStatus.VOIDED
        )
        announce(entry=entry, transfers=resolutions)
        return entry


_NEVER_PENDING = frozenset({TransferStatus.POSTED})


def _replayed(*, key: str, fingerprint: str) -> JournalEntry | None:
    """The entry already posted under `key`, if its content is the same; EntryConflict if not."""
    existing = JournalEntry.objects.filter(key=key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        raise EntryConflict(detail={"key": key})
    return existing


def _apply(*, transfers: Sequence[Transfer], released: Sequence[Transfer]) -> None:
    """Add the transfers to their accounts' totals (minus what `released` held), check that no
    protected account goes below zero, and write the totals. Accounts are already locked."""
    touched: dict[int, LedgerAccount] = {}
    moved: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for transfer in transfers:
        debit, credit = transfer.debit_account, transfer.credit_account
        if debit.currency != transfer.currency or credit.currency != transfer.currency:
            raise CurrencyMismatch(detail={"debit": debit.key, "credit": credit.key})
        side = {TransferStatus.PENDING.value: 2, TransferStatus.POSTED.value: 0}.get(
            str(transfer.status)
        )
        if side is not None:
            moved[debit.pk][side] += transfer.amount
            moved[credit.pk][side + 1] += transfer.amount
        touched[debit.pk] = debit
        touched[credit.pk] = credit
    for held in released:
        moved[held.debit_account_id][2] -= held.amount
        moved[held.credit_account_id][3] -= held.amount
    for pk, account in touched.items():
        if account.hot or account.may_go_negative:
            continue
        after = [now + delta for now, delta in zip(account.totals, moved[pk], strict=True)]
        if available(account, after) < 0:
            raise InsufficientBalance(detail={"account": account.key})
    totals.add(accounts=touched, movements=moved)
