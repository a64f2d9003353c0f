"""The state machine itself (core.machine), on a stand-in object recorded in the audit log."""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from souk.accounts.tests.factories import UserFactory
from souk.core.errors import (
    IllegalTransition,
    TransitionNotAllowedForRole,
    TransitionReasonRequired,
)
from souk.core.machine import Actor, Machine, history, move, transition
from souk.core.models import AuditEntry

pytestmark = pytest.mark.django_db

DOOR = Machine(
    name="door",
    transitions=(
        transition("open", {"closed"}, "open", {Actor.BUYER, Actor.SYSTEM}),
        transition("close", {"open"}, "closed", {Actor.BUYER}),
        transition("lock", {"closed"}, "locked", {Actor.MODERATOR}, reason_required=True),
    ),
)


class Door:
    """A stand-in for a model: a status, a primary key, save(update_fields)."""

    _meta = SimpleNamespace(label_lower="tests.door")

    def __init__(self, status: str = "closed") -> None:
        self.pk = 7
        self.status = status
        self.saved: list[list[str]] = []
        self.opened_at: datetime.datetime | None = None

    def save(self, *, update_fields: list[str]) -> None:
        self.saved.append(update_fields)


def _door(status: str = "closed") -> Any:
    return Door(status)


def test_allowed_lists_the_moves_from_a_status_for_a_role_in_table_order():
    assert [t.action for t in DOOR.allowed("closed")] == ["open", "lock"]
    assert [t.action for t in DOOR.allowed("closed", Actor.BUYER)] == ["open"]
    assert DOOR.allowed("locked") == []


def test_a_table_with_an_action_twice_is_refused():
    twice = transition("open", {"closed"}, "open", {Actor.BUYER})
    with pytest.raises(ValueError, match="twice"):
        Machine(name="door", transitions=(twice, twice))


def test_move_saves_the_status_with_the_stamps_and_records_who_when_why():
    # given
    door, user, at = _door(), UserFactory(), timezone.now()
    # when
    done = move(
        door,
        machine=DOOR,
        action="open",
        actor=user,
        role=Actor.BUYER,
        reason="  to air the room ",
        stamps=lambda t, now: {"opened_at": now},
        at=at,
    )
    # then
    assert done.target == "open"
    assert door.status == "open"
    assert door.opened_at == at
    assert door.saved == [["opened_at", "status"]]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.reason, entry.at) == (
        "door.open",
        user,
        "to air the room",
        at,
    )
    assert entry.data == {"from": "closed", "to": "open", "role": "buyer"}
    [record] = history(door, machine=DOOR)
    assert (record.action, record.from_status, record.to_status) == ("open", "closed", "open")
    assert (record.actor_id, record.role, record.at) == (user.pk, "buyer", at)


def test_the_system_moves_without_a_user():
    door = _door()
    move(door, machine=DOOR, action="open", actor=None, role=Actor.SYSTEM)
    [record] = history(door, machine=DOOR)
    assert (record.actor_id, record.role) == (None, "system")


@pytest.mark.parametrize(
    ("status", "action", "role", "reason", "error"),
    [
        ("open", "open", Actor.BUYER, "", IllegalTransition),
        ("closed", "fly", Actor.BUYER, "", IllegalTransition),
        ("closed", "lock", Actor.BUYER, "a reason", TransitionNotAllowedForRole),
        ("closed", "lock", Actor.MODERATOR, "  ", TransitionReasonRequired),
    ],
)
def test_an_illegal_move_raises_and_changes_nothing(status, action, role, reason, error):
    door = _door(status)
    with pytest.raises(error) as raised:
        move(door, machine=DOOR, action=action, actor=None, role=role, reason=reason)
    assert isinstance(raised.value, IllegalTransition)
    assert door.status == status
    assert door.saved == []
    assert not AuditEntry.objects.exists()


def test_each_machine_raises_its_own_errors_and_asks_who_may_act():
    class ShutDoor(IllegalTransition):
        code = "shut_door"

    guarded = Machine(
        name="door",
        transitions=DOOR.transitions,
        illegal=ShutDoor,
        may_act=lambda obj, actor, role: actor is not None,
    )
    with pytest.raises(ShutDoor):
        guarded.check(_door("locked"), action="open", actor=None, role=Actor.BUYER)
    with pytest.raises(TransitionNotAllowedForRole):
        guarded.check(_door(), action="open", actor=None, role=Actor.BUYER)
    assert guarded.check(_door(), action="open", actor=object(), role=Actor.BUYER).target == "open"
