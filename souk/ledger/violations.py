"""What `ledger_check` reports: one broken rule, on one subject."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str
    subject: str
    detail: str
