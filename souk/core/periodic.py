"""Periodic work: which tasks run how often, and the loop that queues them when due.

The Tasks API has no scheduler, so `manage.py run_scheduler` (started by `make run` next to the
worker) wakes up every few seconds and queues each periodic task whose interval has passed;
each app declares its own in its tasks.py (`every`). Claiming a run is one conditional UPDATE on
PeriodicRun, so several schedulers (one per machine) still queue each run once. The tasks
themselves are idempotent: a run queued late or twice does no harm.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from souk.core.models import PeriodicRun

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PeriodicTask:
    name: str
    # A django-tasks Task taking no arguments.
    task: Any
    every: datetime.timedelta


_registered: dict[str, PeriodicTask] = {}


def every(interval: datetime.timedelta, *, name: str) -> Callable[[T], T]:
    """Declare a task periodic, in the app's own tasks.py, above its @task():
    `@periodic.every(timedelta(minutes=5), name="payments.send_requested_refunds")`. Core
    names no task of the apps above it; they tell it theirs."""

    def register(task: T) -> T:
        _registered[name] = PeriodicTask(name, task, interval)
        return task

    return register


def periodic_tasks() -> tuple[PeriodicTask, ...]:
    """Every periodic task of the installed apps (each app's tasks module is imported)."""
    autodiscover_modules("tasks")
    return tuple(_registered[name] for name in sorted(_registered))


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
    for periodic in periodic_tasks():
        if _claim(periodic, moment):
            periodic.task.enqueue()
            queued.append(periodic.name)
    return queued
