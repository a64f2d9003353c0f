"""When a buyer may say "I received it": the carrier delivered the parcel or has it out for
delivery, or it said nothing for SOUK_RECEIPT_AFTER_ESTIMATE_DAYS past the latest estimated
delivery date. A parcel in transit is not received: completing it would release the artisan's
money (and close the order) for a parcel still on its way."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from souk.orders.models import SubOrder, SubOrderStatus
from souk.orders.models.statuses import SUBORDER_TRANSITIONS


def sources() -> frozenset[str]:
    """The statuses the "confirm_receipt" move leaves from."""
    return frozenset(
        source
        for transition in SUBORDER_TRANSITIONS
        if transition.action == "confirm_receipt"
        for source in transition.sources
    )


def receipt_possible_from(sub_order: SubOrder) -> datetime.datetime | None:
    """When a buyer may say "I received it" though the carrier has not said it is delivering
    the parcel: SOUK_RECEIPT_AFTER_ESTIMATE_DAYS past the latest estimated delivery date (None
    before it is shipped)."""
    if sub_order.shipped_at is None:
        return None
    return sub_order.shipped_at + timedelta(
        days=sub_order.delivery_days_max + int(settings.SOUK_RECEIPT_AFTER_ESTIMATE_DAYS)
    )


def is_receipt_possible(sub_order: SubOrder, *, now: datetime.datetime | None = None) -> bool:
    """Whether the buyer may say "I received it" now (see the module's docstring)."""
    if sub_order.status not in sources():
        return False
    if sub_order.status == SubOrderStatus.DELIVERED or sub_order.out_for_delivery_at is not None:
        return True
    from_moment = receipt_possible_from(sub_order)
    return from_moment is not None and (now or timezone.now()) >= from_moment
