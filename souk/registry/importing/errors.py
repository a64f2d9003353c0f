"""Problems with a whole register file (a bad row is not an error: it is reported and skipped)."""

from __future__ import annotations

from django.utils.functional import Promise


class FileProblem(Exception):
    """A translatable message with its %(name)s values, rendered in the import's language."""

    def __init__(self, message: str | Promise, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(str(message))

    def text(self) -> str:
        """The message in the active language, values filled in."""
        return str(self.message) % self.params


class SourceRefused(FileProblem):
    """The file is not a register export (no header, missing columns, not UTF-8, not a sheet).

    Raised before any row is written: the import is recorded as refused, the register is
    untouched.
    """


class SourceUnreadable(FileProblem):
    """The file broke off part-way (malformed CSV): batches before it stay saved."""
