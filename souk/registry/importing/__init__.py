"""Import the national register's export (register-format.md) into RegisterEntry.

`run_import` does the work; `record_command_line_import` and `request_import` create the
RegisterImport it runs (the second also stores the uploaded file and queues the task).
`validate_row` is the pure per-row check.
"""

from souk.registry.importing.columns import FIELDS, REQUIRED_FIELDS, fold_header, resolve_header
from souk.registry.importing.errors import FileProblem, SourceRefused, SourceUnreadable
from souk.registry.importing.phones import phone_to_e164
from souk.registry.importing.requests import record_command_line_import, request_import
from souk.registry.importing.runner import (
    DEFAULT_BATCH_SIZE,
    Progress,
    ProgressListener,
    load_reference_codes,
    run_import,
)
from souk.registry.importing.validation import (
    ReferenceCodes,
    RowError,
    ValidRow,
    validate_row,
)

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "FIELDS",
    "REQUIRED_FIELDS",
    "FileProblem",
    "Progress",
    "ProgressListener",
    "ReferenceCodes",
    "RowError",
    "SourceRefused",
    "SourceUnreadable",
    "ValidRow",
    "fold_header",
    "load_reference_codes",
    "phone_to_e164",
    "record_command_line_import",
    "request_import",
    "resolve_header",
    "run_import",
    "validate_row",
]
