"""Background work of the register: imports requested from the back office."""

from __future__ import annotations

from django_tasks import task

from souk.registry import importing
from souk.registry.models import RegisterImport


@task()
def run_register_import(register_import_id: int) -> str:
    """Run a queued import and return its final status.

    No retry: a failed import is recorded with its error on the import, and the operator
    uploads the file again (a re-run is idempotent). A second delivery of the same task finds
    the import no longer pending and does nothing.
    """
    register_import = RegisterImport.objects.get(pk=register_import_id)
    return str(importing.run_import(register_import=register_import).status)
