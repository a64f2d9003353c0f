"""Background work of the register: imports requested from the back office."""

from __future__ import annotations

from django_tasks import TaskContext, task

from souk.registry import importing
from souk.registry.models import ImportStatus, RegisterImport


@task(takes_context=True)
def run_register_import(context: TaskContext, register_import_id: int) -> str:
    """Run a queued import and return its final status.

    No retry: a failed import is recorded with its error on the import, and the operator
    uploads the file again (a re-run is idempotent). A second delivery of the same task finds
    the import no longer pending and does nothing. A task taken up again because its worker
    died (core/leases.py: a later attempt) finds the import left "running" by that worker and
    runs it again from the start: the batches already written are written again, unchanged.
    """
    if context.attempt > 1:
        RegisterImport.objects.filter(pk=register_import_id, status=ImportStatus.RUNNING).update(
            status=ImportStatus.PENDING
        )
    register_import = RegisterImport.objects.get(pk=register_import_id)
    return str(importing.run_import(register_import=register_import).status)
