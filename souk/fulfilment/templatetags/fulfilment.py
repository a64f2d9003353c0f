"""Template tags of fulfilment, for the pages of orders that show a parcel's shipment."""

from __future__ import annotations

from django import template

from souk.fulfilment import selectors
from souk.fulfilment.models import TrackingEvent
from souk.orders.models import SubOrder

register = template.Library()


@register.simple_tag
def tracking_of(sub_order: SubOrder) -> list[TrackingEvent]:
    """The carrier's events for the parcel, oldest first: `{% tracking_of sub_order as x %}`."""
    return selectors.list_tracking_of(sub_order)
