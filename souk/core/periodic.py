"""Periodic work: which tasks run how often, and the loop that queues them when due.

The Tasks API has no scheduler, so `manage.py run_scheduler` (started by `make run` next to the
worker) wakes up every few seconds and queues each task of PERIODIC_TASKS whose interval has
passed. Claiming a run is one conditional UPDATE on PeriodicRun, so several schedulers (one per
machine) still queue each run once. The tasks themselves are idempotent: a run queued late or
twice does no harm.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from souk.core.models import PeriodicRun


@dataclass(frozen=True, slots=True)
class PeriodicTask:
    name: str
    # Dotted path to a django-tasks Task taking no arguments.
    task: str
    every: datetime.timedelta


PERIODIC_TASKS: tuple[PeriodicTask, ...] = (
    PeriodicTask(
        "orders.expire_unpaid_orders",
        "souk.orders.tasks.expire_unpaid_orders",
        datetime.timedelta(minutes=1),
    ),
    PeriodicTask(
        "orders.decline_overdue_sub_orders",
        "souk.orders.tasks.decline_overdue_sub_orders",
        datetime.timedelta(minutes=10),
    ),
    PeriodicTask(
        "orders.complete_delivered_sub_orders",
        "souk.orders.tasks.complete_delivered_sub_orders",
        datetime.timedelta(hours=1),
    ),
    PeriodicTask(
        "shipping.advance_sandbox_parcels",
        "souk.sandbox.tasks.advance_sandbox_parcels",
        datetime.timedelta(minutes=1),
    ),
    PeriodicTask(
        "payments.complete_unrecorded_payments",
        "souk.payments.tasks.complete_unrecorded_payments",
        datetime.timedelta(minutes=5),
    ),
    PeriodicTask(
        "payments.repair_unconfirmed_payments",
        "souk.payments.tasks.repair_unconfirmed_payments",
        datetime.timedelta(minutes=5),
    ),
    PeriodicTask(
        "payments.send_requested_refunds",
        "souk.payments.tasks.send_requested_refunds",
        datetime.timedelta(minutes=5),
    ),
    PeriodicTask(
        "ledger.run_payouts",
        "souk.ledger.tasks.run_weekly_payouts",
        datetime.timedelta(days=7),
    ),
)


def _claim(periodic: PeriodicTask, now: datetime.datetime) -> bool:
    """Take this run of `periodic` if it is due and nobody else took it."""
    due_before = now - periodic.every
    claimed = PeriodicRun.objects.filter(name=periodic.name, last_queued_at__lte=due_before).update(
        last_queued_at=now
    )
    if claimed:
        return True
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=periodic.name, last_queued_at=now)
    except IntegrityError:
        return False  # it exists and is not due
    return True


def queue_due_tasks(*, now: datetime.datetime | None = None) -> list[str]:
    """Queue every periodic task that is due; return their names."""
    moment = now or timezone.now()
    queued = []
    for periodic in PERIODIC_TASKS:
        if _claim(periodic, moment):
            import_string(periodic.task).enqueue()
            queued.append(periodic.name)
    return queued
