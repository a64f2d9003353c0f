"""The one state machine: a table of transitions, one mover that checks, applies and records.

Every aggregate with a status (product, shop, order, sub-order, payment intent, payout,
shipment) declares a Machine: its transitions (action, sources, target, the roles that may
decide, whether a reason is required), its errors (subclasses of core.errors.IllegalTransition,
so each app keeps its own code and message) and where its moves are recorded. `move` is then
the only code that changes such a status: it checks the move, saves the new status with the
fields the caller stamps, and records who (user and role), when, why, from and to:

- in the aggregate's own history table when it has one (a subclass of
  core.models.TransitionRecord: OrderEvent, PaymentEvent, PayoutEvent);
- otherwise in the audit log (core.models.AuditEntry), as action "<machine>.<action>" with
  `from`, `to` and `role` in its data.

`history` reads both back the same way. Callers hold the row lock and own the transaction.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise

from souk.core.errors import (
    IllegalTransition,
    TransitionNotAllowedForRole,
    TransitionReasonRequired,
)
from souk.core.models import AuditEntry, TransitionRecord


class Actor(enum.StrEnum):
    """In whose name a move is made; stored beside the user (none for the system)."""

    BUYER = "buyer"
    # A manager of the shop concerned.
    ARTISAN = "artisan"
    MODERATOR = "moderator"
    # Souk's staff running money (payout runs, the bank's status reports).
    OPERATOR = "operator"
    # The platform itself: a processor's callback, a carrier's event, a periodic task.
    SYSTEM = "system"
    # An officer of a partner bank, acting for that bank only (souk.banking).
    BANK_OFFICER = "bank_officer"
    # An administrator deciding what partners publish (a bank's offer).
    ADMINISTRATOR = "administrator"
    # A programme advisor following the artisan (souk.support).
    ADVISOR = "advisor"


@dataclass(frozen=True, slots=True)
class Transition:
    """One allowed move: from any of `sources` to `target`, decided by one of `roles`."""

    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[Actor]
    reason_required: bool = False
    label: str | Promise = ""


def transition(
    action: str,
    sources: Iterable[str],
    target: str,
    roles: Iterable[Actor],
    label: str | Promise = "",
    *,
    reason_required: bool = False,
) -> Transition:
    """A Transition from plain sets, for readable tables."""
    return Transition(action, frozenset(sources), target, frozenset(roles), reason_required, label)


# Whether `actor` may act on `obj` in `role` (a shop's manager, the order's buyer...).
MayAct = Callable[[Any, Any, Actor], bool]


@dataclass(frozen=True)
class Machine:
    """The table of one aggregate's moves, its errors and where its moves are recorded."""

    # Names the audit action ("product.submit") when there is no history table.
    name: str
    transitions: tuple[Transition, ...]
    # Each app's own errors, all of the IllegalTransition family: one handler for any refusal.
    illegal: type[IllegalTransition] = IllegalTransition
    not_allowed: type[IllegalTransition] = TransitionNotAllowedForRole
    reason_missing: type[IllegalTransition] = TransitionReasonRequired
    # The aggregate's own history table and the values linking a record to the object.
    history_model: type[TransitionRecord] | None = None
    history_links: Callable[[Any], Mapping[str, Any]] | None = None
    may_act: MayAct | None = None
    field: str = "status"
    by_action: Mapping[str, Transition] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_action = {t.action: t for t in self.transitions}
        if len(by_action) != len(self.transitions):
            raise ValueError(f"{self.name}: an action appears twice in the table")
        if (self.history_model is None) != (self.history_links is None):
            raise ValueError(f"{self.name}: a history table needs its links, and only then")
        object.__setattr__(self, "by_action", by_action)

    def get(self, action: str) -> Transition | None:
        return self.by_action.get(action)

    def __getitem__(self, action: str) -> Transition:
        return self.by_action[action]

    def allowed(self, status: str, role: Actor | None = None) -> list[Transition]:
        """The moves from `status` (for `role`, if given), in table order."""
        return [
            t for t in self.transitions if status in t.sources and (role is None or role in t.roles)
        ]

    def check(
        self, obj: models.Model, *, action: str, actor: Any, role: Actor, reason: str = ""
    ) -> Transition:
        """The move `action` of `obj` now, or raise: `illegal` (unknown action, or not from
        this status), `not_allowed` (not this role's move, or the actor does not hold the
        role), `reason_missing`. Changes nothing."""
        status = getattr(obj, self.field)
        found = self.get(action)
        if found is None or status not in found.sources:
            raise self.illegal(detail={"from": status, "action": action})
        if role not in found.roles or (
            self.may_act is not None and not self.may_act(obj, actor, role)
        ):
            raise self.not_allowed(detail={"action": action, "role": str(role)})
        if found.reason_required and not reason.strip():
            raise self.reason_missing(detail={"action": action})
        return found


# What a caller saves beside the status, given the move and its moment.
Stamps = Callable[[Transition, datetime.datetime], Mapping[str, Any]]


def move(
    obj: models.Model,
    *,
    machine: Machine,
    action: str,
    actor: Any,
    role: Actor,
    reason: str = "",
    stamps: Stamps | None = None,
    record: Mapping[str, Any] | None = None,
    at: datetime.datetime | None = None,
) -> Transition:
    """Check the move `action` of `obj`, apply it (save with update_fields) and record it.

    `stamps` gives other fields to save with the status (status_changed_at...); `record`,
    other values of the record (the payment attempt...). Raises what Machine.check raises,
    and then nothing is changed. The caller holds `obj`'s lock and owns the transaction."""
    reason = reason.strip()
    found = machine.check(obj, action=action, actor=actor, role=role, reason=reason)
    now = at or timezone.now()
    previous = getattr(obj, machine.field)
    values = dict(stamps(found, now)) if stamps is not None else {}
    values[machine.field] = found.target
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save(update_fields=list(values))
    write_record(
        obj,
        machine=machine,
        action=action,
        from_status=previous,
        to_status=found.target,
        actor=actor,
        role=role,
        reason=reason,
        at=now,
        extra=record,
    )
    return found


def write_record(
    obj: models.Model,
    *,
    machine: Machine,
    action: str,
    from_status: str,
    to_status: str,
    actor: Any,
    role: Actor,
    reason: str = "",
    at: datetime.datetime | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Record a move (or a creation, with `from_status` ""): the one way moves are kept."""
    user = actor if getattr(actor, "pk", None) else None
    at = at or timezone.now()
    if machine.history_model is not None and machine.history_links is not None:
        machine.history_model._default_manager.create(
            **machine.history_links(obj),
            action=action,
            from_status=str(from_status),
            to_status=str(to_status),
            actor=user,
            actor_role=role.value,
            reason=reason,
            at=at,
            **(extra or {}),
        )
        return
    AuditEntry.objects.create(
        at=at,
        actor=user,
        action=f"{machine.name}.{action}",
        target_type=obj._meta.label_lower,
        target_id=str(obj.pk),
        reason=reason,
        data={"from": str(from_status), "to": str(to_status), "role": role.value, **(extra or {})},
    )


@dataclass(frozen=True, slots=True)
class MoveRecord:
    """One recorded move, whichever table holds it."""

    action: str
    from_status: str
    to_status: str
    actor_id: int | None
    role: str
    reason: str
    at: datetime.datetime


def history(obj: models.Model, *, machine: Machine) -> list[MoveRecord]:
    """The recorded moves of `obj`, oldest first."""
    if machine.history_model is not None and machine.history_links is not None:
        rows = machine.history_model._default_manager.filter(**machine.history_links(obj))
        return [
            MoveRecord(
                r.action, r.from_status, r.to_status, r.actor_id, r.actor_role, r.reason, r.at
            )
            for r in rows.order_by("at", "pk")
        ]
    prefix = f"{machine.name}."
    entries = AuditEntry.objects.filter(
        target_type=obj._meta.label_lower, target_id=str(obj.pk), action__startswith=prefix
    ).order_by("at", "pk")
    return [
        MoveRecord(
            e.action.removeprefix(prefix),
            e.data.get("from", ""),
            e.data["to"],
            e.actor_id,
            e.data.get("role", ""),
            e.reason,
            e.at,
        )
        for e in entries
        if "to" in e.data
    ]
