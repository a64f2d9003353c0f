"""Write to the audit log. Call inside the service's transaction, so the entry and the change
it records are saved together or not at all."""

from __future__ import annotations

from typing import Any

from django.db import models

from souk.core import delegation
from souk.core.models import AuditEntry


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry: `actor` (a user or None for the system) did `action` to `target`.
    Written while an advisor acts for an artisan, it names them (core/delegation.py)."""
    assisted = delegation.audit_data()
    if assisted:
        data = {**(data or {}), **assisted}
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        reason=reason,
        data=data or {},
    )


def entries_for(target: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit trail of one record, newest first."""
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
