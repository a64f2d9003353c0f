"""The one loop of every periodic job (#14, defect 3): each item in its own transaction; a
failed item is logged, recorded and alerted, and the job goes on with the next.

Before, a job looped over its items and the first exception ended the run: one parcel whose
completion could not be posted left every delivered parcel after it in escrow, run after run.
Now `for_each` runs `handle(item)` for each item inside its own `transaction.atomic()`. An
exception rolls back that item alone; it is logged with the item, recorded in the audit log
(action `periodic.item_failed`, the job as record type, the item as record, the error as why)
and, once per run, the operators are notified with the count and the first error. The item is
tried again by the job's next run, as nothing of it changed.

A handler that calls the outside world (a gateway, a webhook) manages its own transactions
around the call, so that no database transaction stays open while it waits: pass
`atomic=False` and the runner only catches, records and alerts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.urls import reverse

from souk.core import alerts
from souk.core.models import AuditEntry

logger = logging.getLogger("souk.periodic")

T = TypeVar("T", int, str)

FAILED_ACTION = "periodic.item_failed"
ALERT_KIND = "periodic_job_failed_operator"
# How many failed items the operators' alert names (the audit log has them all).
ITEMS_NAMED = 10


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What one run of a job did: items done, items with nothing to do, items that failed."""

    done: int = 0
    skipped: int = 0
    failed: int = 0


def for_each(
    name: str, items: Iterable[T], handle: Callable[[T], bool], *, atomic: bool = True
) -> BatchResult:
    """Run `handle(item)` for every item of job `name`, each in its own transaction.

    `handle` returns True when it did the item's work, False when there was none (the item
    moved meanwhile). Any exception is the item's failure: recorded, alerted, and the loop goes
    on. Call outside any transaction, so that each item commits on its own."""
    done = skipped = 0
    failures: list[tuple[T, Exception]] = []
    for item in list(items):
        try:
            if atomic:
                with transaction.atomic():
                    worked = handle(item)
            else:
                worked = handle(item)
        except Exception as error:
            logger.exception("Periodic job %s failed on item %s", name, item)
            failures.append((item, error))
            _record_failure(name, item, error)
            continue
        if worked:
            done += 1
        else:
            skipped += 1
    if failures:
        _alert(name, failures, done=done)
    return BatchResult(done=done, skipped=skipped, failed=len(failures))


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _record_failure(name: str, item: T, error: Exception) -> None:
    try:
        AuditEntry.objects.create(
            action=FAILED_ACTION,
            target_type=name[:64],
            target_id=str(item)[:64],
            reason=_describe(error),
            data={"job": name, "item": item},
        )
    except Exception:
        # The database itself may be what failed: the log above still has it.
        logger.exception("Periodic job %s: the failure of item %s was not recorded", name, item)


def _alert(name: str, failures: list[tuple[T, Exception]], *, done: int) -> None:
    """Tell the operators once for this run (core.alerts: a notification with its email and
    SMS copies to each of them, once notifications is installed)."""
    items = ", ".join(str(item) for item, _error in failures[:ITEMS_NAMED])
    if len(failures) > ITEMS_NAMED:
        items += ", …"
    context = {
        "job": name,
        "failed": len(failures),
        "done": done,
        "items": items,
        "error": _describe(failures[0][1])[:300],
    }
    try:
        with transaction.atomic():
            alerts.alert_operators(
                alerts.Alert(
                    kind=ALERT_KIND,
                    context=context,
                    url=reverse("admin:core_auditentry_changelist") + f"?action={FAILED_ACTION}",
                )
            )
    except Exception:
        logger.exception("Periodic job %s: the operators could not be alerted", name)
