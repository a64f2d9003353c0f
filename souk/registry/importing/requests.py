"""Start a register import: from the command line, or from a file uploaded in the back office."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from souk.accounts.models import User
from souk.core import audit
from souk.registry import tasks
from souk.registry.models import ImportKind, ImportStatus, RegisterImport

_NAME_LENGTH = RegisterImport._meta.get_field("original_name").max_length or 255


def record_command_line_import(*, path: Path, kind: ImportKind, language: str) -> RegisterImport:
    """Record a pending import of a local file; the file is read in place, not copied."""
    return RegisterImport.objects.create(
        original_name=str(path)[-_NAME_LENGTH:],
        kind=kind,
        language=language,
        status=ImportStatus.PENDING,
    )


@transaction.atomic
def request_import(
    *, uploaded_file: UploadedFile, kind: ImportKind, language: str, requested_by: User
) -> RegisterImport:
    """Store an uploaded register file privately and queue its import.

    The task is enqueued once the transaction commits, so the worker never looks for an import
    that is not saved yet. `language` is the operator's: the report's reasons are written in it.
    """
    register_import = RegisterImport(
        original_name=(uploaded_file.name or "register")[-_NAME_LENGTH:],
        kind=kind,
        language=language,
        status=ImportStatus.PENDING,
        requested_by=requested_by,
    )
    register_import.source_file.save(uploaded_file.name or "register", uploaded_file, save=False)
    register_import.save()
    audit.record(
        actor=requested_by,
        action="registry.import_requested",
        target=register_import,
        data={"file": register_import.original_name, "kind": kind.value},
    )
    import_id = register_import.pk
    transaction.on_commit(lambda: tasks.run_register_import.enqueue(import_id))
    return register_import
