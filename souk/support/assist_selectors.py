"""Reads of assisted mode: the artisan's open request or permission, and the record of what
their advisors did for them (the audit entries written under their permissions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.core.models import AuditEntry
from souk.support.assist_models import Assistance, AssistanceStatus

RECORD_SIZE = 50

# What each page the advisor used means, said to the artisan.
PAGE_LABELS: dict[str, Promise] = {
    "shops:edit_profile": _("changed your shop's profile"),
    "shops:photos": _("changed your shop's photos"),
    "shops:reorder_photos": _("changed your shop's photos"),
    "shops:remove_photo": _("removed a photo of your shop"),
    "shops:move_photo": _("changed your shop's photos"),
    "shops:submit": _("sent your shop for review"),
    "catalog:create": _("added a listing"),
    "catalog:edit": _("changed a listing"),
    "catalog:photos": _("changed a listing's photos"),
    "catalog:reorder_photos": _("changed a listing's photos"),
    "catalog:remove_photo": _("removed a listing's photo"),
    "catalog:move_photo": _("changed a listing's photos"),
    "catalog:variants": _("changed a listing's variants"),
    "catalog:edit_variant": _("changed a listing's variants"),
    "catalog:deactivate_variant": _("changed a listing's variants"),
    "catalog:reactivate_variant": _("changed a listing's variants"),
    "catalog:change_status": _("changed a listing's status"),
    "orders:artisan_message": _("answered a buyer's message"),
}
ACTION_LABELS: dict[str, Promise] = {
    "support.assistance_asked": _("asked to act for you"),
    "support.assistance_allowed": _("permission given"),
    "support.assistance_refused": _("request refused"),
    "support.assistance_ended": _("permission ended"),
    "support.acting_started": _("started acting for you"),
    "support.acting_stopped": _("stopped acting for you"),
}


@dataclass(frozen=True)
class RecordLine:
    at: datetime
    who: str
    what: str
    refused: bool


def open_assistance(artisan_id: int) -> Assistance | None:
    """The artisan's request waiting for an answer, or their permission not yet ended."""
    return (
        Assistance.objects.filter(
            artisan_id=artisan_id, status__in=[AssistanceStatus.ASKED, AssistanceStatus.ACTIVE]
        )
        .select_related("advisor__user")
        .first()
    )


def _describe(entry: AuditEntry) -> tuple[str, bool]:
    data = entry.data or {}
    if entry.action == "support.assisted_action":
        status = int(data.get("status", 200))
        page = str(data.get("page", ""))
        label = PAGE_LABELS.get(page)
        what = str(label) if label else str(_("opened %(page)s")) % {"page": data.get("path", "")}
        return what, status >= 400
    label = ACTION_LABELS.get(entry.action)
    return (str(label) if label else entry.action), False


def assisted_record(artisan_id: int, limit: int = RECORD_SIZE) -> list[RecordLine]:
    """What advisors did under the artisan's permissions, newest first: each request that
    changed something or was refused, and each permission's start and end."""
    ids = [
        str(pk)
        for pk in Assistance.objects.filter(artisan_id=artisan_id).values_list("pk", flat=True)
    ]
    if not ids:
        return []
    entries = (
        AuditEntry.objects.filter(target_type="support.assistance", target_id__in=ids)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    lines = []
    for entry in entries:
        what, refused = _describe(entry)
        actor = entry.actor
        who = (actor.full_name or actor.login_identifier) if actor else ""
        lines.append(RecordLine(at=entry.at, who=who, what=what, refused=refused))
    return lines
