"""Task leases: a task whose worker died is taken up again (docs/reliability.md).

django-tasks-db marks a task "running" when a worker claims it and never looks at it again: a
worker killed mid-task leaves it running forever. So our worker (core/worker.py) records a lease
in the transaction that claims the task, and a heartbeat thread renews it while the task runs.
`recover_expired_tasks`, called from every worker's loop, puts a running task whose lease ran
out back to "ready"; after SOUK_TASK_MAX_ATTEMPTS runs it fails it instead and alerts the
operators. Every task is idempotent by design, so a task run again after a lost lease (or by a
worker that was only frozen) finishes the work once.
"""

from __future__ import annotations

import datetime
import logging
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from souk.core import alerts, audit
from souk.core.models import TaskLease

logger = logging.getLogger("souk.tasks")

ABANDONED_ACTION = "task_abandoned"


class TaskLeaseExpired(Exception):
    """The workers running this task stopped SOUK_TASK_MAX_ATTEMPTS times without finishing."""


def lease_duration() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SOUK_TASK_LEASE_SECONDS)


def grant(*, task_result_id: uuid.UUID | str, worker_id: str) -> None:
    """Give `worker_id` the lease of a task it just claimed (inside the claiming transaction)."""
    TaskLease.objects.update_or_create(
        task_result_id=task_result_id,
        defaults={"worker_id": worker_id, "expires_at": timezone.now() + lease_duration()},
    )


def renew(*, task_result_id: uuid.UUID | str, worker_id: str) -> bool:
    """Push the lease back; False when it is not this worker's any more."""
    renewed = TaskLease.objects.filter(task_result_id=task_result_id, worker_id=worker_id).update(
        expires_at=timezone.now() + lease_duration()
    )
    return renewed == 1


def release(*, task_result_id: uuid.UUID | str, worker_id: str) -> None:
    """Drop the lease of a task that finished (successfully or not)."""
    TaskLease.objects.filter(task_result_id=task_result_id, worker_id=worker_id).delete()


@contextmanager
def heartbeat(*, task_result_id: uuid.UUID | str, worker_id: str) -> Iterator[None]:
    """Renew the lease every third of its duration while the block runs (in a thread with its
    own connection, so a task's long transaction does not hold it back)."""
    stop = threading.Event()

    def beat() -> None:
        every = settings.SOUK_TASK_LEASE_SECONDS / 3
        try:
            while not stop.wait(every):
                try:
                    close_old_connections()
                    renew(task_result_id=task_result_id, worker_id=worker_id)
                except DatabaseError as error:
                    # The database is away: the lease may run out and the task be run again,
                    # which every task allows. Keep beating; it may come back in time.
                    logger.warning("Task lease %s not renewed: %s", task_result_id, error)
                    connection.close()
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"lease-{task_result_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@dataclass
class Recovery:
    requeued: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _expired(now: datetime.datetime) -> list[DBTaskResult[..., object]]:
    live_lease = TaskLease.objects.filter(task_result_id=OuterRef("pk"), expires_at__gt=now)
    # A running task without a live lease, claimed longer ago than a lease lasts (so a task
    # claimed by a worker without leases still gets the time a lease would give it).
    stale = (
        DBTaskResult.objects.running()
        .filter(started_at__lt=now - lease_duration())
        .exclude(Exists(live_lease))
        .order_by("started_at")
    )
    return list(stale.select_for_update(skip_locked=True))


def recover_expired_tasks(*, now: datetime.datetime | None = None) -> Recovery:
    """Queue again every running task whose lease ran out; fail (and alert about) those that
    already ran SOUK_TASK_MAX_ATTEMPTS times. Safe to call from several workers at once."""
    moment = now or timezone.now()
    recovery = Recovery()
    with exclusive_transaction(DBTaskResult.objects.db):
        for result in _expired(moment):
            TaskLease.objects.filter(task_result_id=result.pk).delete()
            attempts = len(result.worker_ids)
            if attempts < settings.SOUK_TASK_MAX_ATTEMPTS:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                recovery.requeued.append(str(result.pk))
                logger.warning(
                    "Task %s (%s) lost its worker after attempt %d: queued again",
                    result.pk,
                    result.task_path,
                    attempts,
                )
                continue
            result.status = TaskResultStatus.FAILED
            result.finished_at = moment
            result.exception_class_path = f"{__name__}.{TaskLeaseExpired.__qualname__}"
            result.traceback = (
                f"TaskLeaseExpired: {attempts} workers stopped running this task without "
                "finishing it; it is not run again."
            )
            result.save(
                update_fields=["status", "finished_at", "exception_class_path", "traceback"]
            )
            recovery.failed.append(str(result.pk))
            logger.error(
                "Task %s (%s) abandoned after %d attempts", result.pk, result.task_path, attempts
            )
            _alert_operators(result, attempts)
    return recovery


def _alert_operators(result: DBTaskResult[..., object], attempts: int) -> None:
    """An alert to the operators (core.alerts) and an audit entry, in the recovery's
    transaction."""
    alerts.alert_operators(
        alerts.Alert(
            kind="task_abandoned_operator",
            context={"task": result.task_path, "task_id": str(result.pk), "attempts": attempts},
        )
    )
    audit.record(
        actor=None,
        action=ABANDONED_ACTION,
        target=result,
        reason=result.task_path,
        data={"attempts": attempts, "worker_ids": list(result.worker_ids)},
    )
