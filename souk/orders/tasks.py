"""Background work of orders: the periodic clean-ups queued by core/periodic.py."""

from __future__ import annotations

from django_tasks import task

from souk.orders import services


@task()
def expire_unpaid_orders() -> int:
    """Release the stock of orders not paid in time, and cancel them."""
    return services.expire_unpaid_orders()


@task()
def decline_overdue_sub_orders() -> int:
    """Decline and refund paid parcels the artisan did not answer in time."""
    return services.decline_overdue_sub_orders()


@task()
def complete_delivered_sub_orders() -> int:
    """Complete parcels delivered long enough ago that nobody contested."""
    return services.complete_delivered_sub_orders()
