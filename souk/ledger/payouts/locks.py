"""Row locks of payouts: the select_for_update querysets, nothing else."""

from __future__ import annotations

from django.db.models import QuerySet

from souk.ledger.models import Payout, PayoutRun
from souk.shops.models import Shop


def shop_for_update(shop_id: int) -> QuerySet[Shop]:
    # Serialises two runs paying the same shop: the second reads the balance the first left.
    return Shop.objects.select_for_update().filter(pk=shop_id)


def run_for_update(run_id: int) -> QuerySet[PayoutRun]:
    return PayoutRun.objects.select_for_update().filter(pk=run_id)


def payout_for_update(reference: str) -> QuerySet[Payout]:
    return Payout.objects.select_for_update().filter(reference=reference)
