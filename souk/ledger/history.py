"""Moving posted history back in time, for the demo's seed only (souk.demo.sales_history).

The ledger's services read the clock and take none: a sale cannot be posted in the past. The
demo makes its months of history through the real services, then asks here to move the
entries and transfers of one reference (a parcel, an order, a payout) back by one span: the
amounts, accounts, balances and the entries' order stay as posted. Never called by the
product; documented in docs/banking.md ("Demo sales history").
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from souk.ledger.models import JournalEntry, Payout, PayoutRun, Transfer


def move_back(*, references: list[tuple[str, str]], span: datetime.timedelta) -> None:
    """Move back by `span` every entry with a transfer naming one of `references` (type, id),
    and all of those entries' transfers."""
    if not references:
        return
    named = Q(pk__in=[])
    for reference_type, reference_id in references:
        named |= Q(reference_type=reference_type, reference_id=reference_id)
    entry_ids = set(Transfer.objects.filter(named).values_list("entry_id", flat=True))
    for transfer in Transfer.objects.filter(entry_id__in=entry_ids).only("pk", "created_at"):
        Transfer.objects.filter(pk=transfer.pk).update(created_at=transfer.created_at - span)
    for entry in JournalEntry.objects.filter(pk__in=entry_ids).only("pk", "created_at"):
        JournalEntry.objects.filter(pk=entry.pk).update(created_at=entry.created_at - span)


def payout_references_of_run(*, run_key: str) -> list[str]:
    """The references of the payouts the run `run_key` made."""
    return list(
        Payout.objects.filter(run__key=run_key).order_by("pk").values_list("reference", flat=True)
    )


def move_run_back(
    *, run_key: str, shop_ids: set[int], when: datetime.datetime, paid_after: datetime.timedelta
) -> None:
    """Date the run `run_key` and its payouts to `shop_ids` at `when` (reported paid
    `paid_after` later), with their entries."""
    PayoutRun.objects.filter(key=run_key).update(started_at=when, finished_at=when)
    for payout in Payout.objects.filter(run__key=run_key, shop_id__in=shop_ids):
        span = payout.created_at - when
        Payout.objects.filter(pk=payout.pk).update(
            created_at=when, status_changed_at=when + paid_after
        )
        move_back(references=[("payout", payout.reference)], span=span)
