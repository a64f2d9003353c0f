"""The one way to write to the ledger (STYLE.md §5).

`post_entry` posts the transfers of one business event atomically and idempotently;
`post_pending` and `void_pending` resolve a two-phase (pending) entry such as an escrow hold.
Each call is one database transaction that locks the accounts it touches (by primary key order),
updates their running totals and writes the transfers; either everything is written or nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db import IntegrityError, transaction

from souk.core import events
from souk.core.money import Money
from souk.ledger import locks
from souk.ledger.errors import (
    CurrencyMismatch,
    EntryConflict,
    InsufficientBalance,
    InvalidTransfer,
    NotPending,
    PendingAlreadyResolved,
    UnknownAccount,
)
from souk.ledger.events import EntryPosted
from souk.ledger.models import (
    AccountType,
    JournalEntry,
    LedgerAccount,
    NormalSide,
    Transfer,
    TransferStatus,
)
from souk.ledger.selectors import posted_leg

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


@dataclass(frozen=True, slots=True)
class Leg:
    """One transfer of an entry: `amount` from the `debit` account to the `credit` account."""

    debit: str
    credit: str
    amount: Money
    reference_type: str = ""
    reference_id: str = ""


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
    account, _created = LedgerAccount.objects.get_or_create(
        key=key,
        defaults={
            "type": type,
            "currency": currency,
            "normal_side": normal_side,
            "may_go_negative": default_negative if may_go_negative is None else may_go_negative,
            "owner_type": owner_type,
            "owner_id": owner_id,
        },
    )
    if account.currency != currency or account.type != type:
        raise CurrencyMismatch(detail={"account": key})
    return account


def post_entry(
    *,
    key: str,
    code: str,
    legs: Sequence[Leg],
    description: str = "",
    pending: bool = False,
) -> JournalEntry:
    """Post the legs of one business event, all or none.

    Idempotent on `key`: posting the same key and content again returns the first entry and
    changes nothing; the same key with other content raises EntryConflict. With `pending`, the
    amounts are held (pending totals) until `post_pending` or `void_pending` resolves them.
    Raises UnknownAccount, CurrencyMismatch, InvalidTransfer, InsufficientBalance.
    """
    if not legs or any(leg.amount.amount <= 0 or leg.debit == leg.credit for leg in legs):
        raise InvalidTransfer()
    fingerprint = _fingerprint(code=code, legs=legs, pending=pending)
    replay = _replayed(key=key, fingerprint=fingerprint)
    if replay is not None:
        return replay
    try:
        with transaction.atomic():
            entry = JournalEntry.objects.create(
                key=key, code=code, description=description, fingerprint=fingerprint
            )
            accounts = _lock(keys={leg.debit for leg in legs} | {leg.credit for leg in legs})
            status = TransferStatus.PENDING if pending else TransferStatus.POSTED
            transfers = [
                Transfer(
                    entry=entry,
                    debit_account=accounts[leg.debit],
                    credit_account=accounts[leg.credit],
                    amount=leg.amount.amount,
                    currency=leg.amount.currency,
                    code=code,
                    status=status,
                    reference_type=leg.reference_type,
                    reference_id=leg.reference_id,
                )
                for leg in legs
            ]
            _apply(transfers=transfers, released=[])
            Transfer.objects.bulk_create(transfers)
            _announce(entry=entry, transfers=transfers)
            return entry
    except IntegrityError:
        # The same key was posted concurrently and committed first.
        replay = _replayed(key=key, fingerprint=fingerprint)
        if replay is None:
            raise
        return replay


def lock_accounts(*, keys: Iterable[str]) -> None:
    """Lock the accounts `keys` now, in one statement by primary key, inside the caller's
    transaction: for a use case that posts several entries, so that it takes every account it
    will touch in one go instead of entry by entry (docs/architecture.md, "Lock order")."""
    _lock(keys=set(keys))


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
        accounts = _lock(
            ids={t.debit_account_id for t in held} | {t.credit_account_id for t in held}
        )
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
        _announce(entry=entry, transfers=resolutions)
        return entry


_NEVER_PENDING = frozenset({TransferStatus.POSTED})


def _announce(*, entry: JournalEntry, transfers: Sequence[Transfer]) -> None:
    """Tell the apps above, inside this transaction, what was posted (held money is not)."""
    legs = tuple(posted_leg(t) for t in transfers if t.status == TransferStatus.POSTED)
    if legs:
        events.publish(
            EntryPosted(key=entry.key, code=entry.code, posted_at=entry.created_at, legs=legs)
        )


def _replayed(*, key: str, fingerprint: str) -> JournalEntry | None:
    """The entry already posted under `key`, if its content is the same; EntryConflict if not."""
    existing = JournalEntry.objects.filter(key=key).first()
    if existing is not None and existing.fingerprint != fingerprint:
        raise EntryConflict(detail={"key": key})
    return existing


def _fingerprint(*, code: str, legs: Sequence[Leg], pending: bool) -> str:
    payload = [
        code,
        pending,
        [
            [
                leg.debit,
                leg.credit,
                leg.amount.amount,
                leg.amount.currency,
                leg.reference_type,
                leg.reference_id,
            ]
            for leg in legs
        ],
    ]
    return hashlib.sha256(json.dumps(payload, separators=(",", ":")).encode()).hexdigest()


@overload
def _lock(*, keys: set[str]) -> dict[str, LedgerAccount]: ...
@overload
def _lock(*, ids: set[int]) -> dict[int, LedgerAccount]: ...
def _lock(*, keys: set[str] | None = None, ids: set[int] | None = None) -> dict[Any, LedgerAccount]:
    """Lock the accounts (primary-key order) and index them by key or by id."""
    if keys is not None:
        accounts = {account.key: account for account in locks.accounts_for_update(keys=keys)}
        missing = keys - set(accounts)
        if missing:
            raise UnknownAccount(detail={"accounts": sorted(missing)})
        return accounts
    return {account.pk: account for account in locks.accounts_for_update(ids=ids or set())}


def _apply(*, transfers: Sequence[Transfer], released: Sequence[Transfer]) -> None:
    """Add the transfers to their accounts' totals (minus what `released` held), check that no
    protected account goes below zero, and save the totals. Accounts are already locked."""
    touched: dict[int, LedgerAccount] = {}
    for transfer in transfers:
        debit, credit = transfer.debit_account, transfer.credit_account
        if debit.currency != transfer.currency or credit.currency != transfer.currency:
            raise CurrencyMismatch(detail={"debit": debit.key, "credit": credit.key})
        if transfer.status == TransferStatus.PENDING:
            debit.debits_pending += transfer.amount
            credit.credits_pending += transfer.amount
        elif transfer.status == TransferStatus.POSTED:
            debit.debits_posted += transfer.amount
            credit.credits_posted += transfer.amount
        touched[debit.pk] = debit
        touched[credit.pk] = credit
    for held in released:
        touched[held.debit_account_id].debits_pending -= held.amount
        touched[held.credit_account_id].credits_pending -= held.amount
    for account in touched.values():
        if not account.may_go_negative and account.available.is_negative():
            raise InsufficientBalance(detail={"account": account.key})
    for account in touched.values():
        account.save(
            update_fields=["debits_posted", "credits_posted", "debits_pending", "credits_pending"]
        )
