"""Row locks of the ledger. Accounts are always locked in primary-key order, so two entries
touching the same accounts wait for each other instead of deadlocking. Hot accounts are never
locked (docs/ledger.md, "Hot accounts")."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from souk.ledger.models import JournalEntry, LedgerAccount


def accounts_for_update(
    *, keys: Iterable[str] | None = None, ids: Iterable[int] | None = None
) -> QuerySet[LedgerAccount]:
    accounts = LedgerAccount.objects.select_for_update().filter(hot=False)
    if keys is not None:
        accounts = accounts.filter(key__in=set(keys))
    if ids is not None:
        accounts = accounts.filter(pk__in=set(ids))
    return accounts.order_by("pk")


def entry_for_update(key: str) -> QuerySet[JournalEntry]:
    return JournalEntry.objects.select_for_update().filter(key=key)
