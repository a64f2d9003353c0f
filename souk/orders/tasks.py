"""Background work of orders: the periodic clean-ups queued by core/periodic.py."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from souk.core import periodic
from souk.orders import services


@periodic.every(timedelta(minutes=1), name="orders.expire_unpaid_orders")
@task()
def expire_unpaid_orders() -> int:
    """Release the stock of orders not paid in time, and cancel them."""
    return services.expire_unpaid_orders()


@periodic.every(timedelta(minutes=10), name="orders.decline_overdue_sub_orders")
@task()
def decline_overdue_sub_orders() -> int:
    """Decline and refund paid parcels the artisan did not answer in time."""
    return services.decline_overdue_sub_orders()


@periodic.every(timedelta(hours=1), name="orders.complete_delivered_sub_orders")
@task()
def complete_delivered_sub_orders() -> int:
    """Complete parcels delivered long enough ago that nobody contested."""
    return services.complete_delivered_sub_orders()
