"""Domain events: how a lower app tells higher ones that something happened, without importing them.

The apps form a ladder (docs/architecture.md): catalog may not import search, orders may not
import payments. When a lower app's use case has news a higher app acts on, it publishes a typed
event — a frozen dataclass declared in the publisher's `events.py` — and each higher app that
cares subscribes to it in its `AppConfig.ready()` (its `receivers.py`).

Two deliveries, chosen by the subscriber:

- `IN_TRANSACTION`: the handler runs at once, inside the publisher's transaction. Its writes
  commit or roll back with the publisher's, and an exception it raises is the publisher's
  exception (a refund the gateway refuses undoes the parcel's move). Such events may carry the
  rows the publisher has locked, so the handler works on the same instances.
- `ON_COMMIT`: the handler runs once the outermost transaction commits (at once when there is
  none); for news that must not be sent about a change that is rolled back (re-index a listing,
  forget cached pages). Such events carry identifiers only.

Handlers run in the order they subscribed. An event type with no subscriber is published to
nobody, which is allowed: the publisher does not know who listens. Except for an event whose
class says `in_transaction_only`: it carries locked rows and someone must act on it inside the
transaction (a refund due, a claim's draft shop), so it may not be heard on commit and
publishing it with no subscriber, or outside a transaction, raises.

An on-commit handler that fails is logged and does not undo the committed change nor stop the
other handlers (`robust`): re-indexing a listing may fail, the listing's edit is saved.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.db import connection, transaction


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every domain event; subclasses are frozen dataclasses named in the past tense."""

    # Carries rows the publisher has locked, for a subscriber that must act in the transaction.
    in_transaction_only: ClassVar[bool] = False


class Delivery(enum.Enum):
    IN_TRANSACTION = "in_transaction"
    ON_COMMIT = "on_commit"


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]

_subscribers: dict[type[Event], list[tuple[Handler, Delivery]]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], None], *, delivery: Delivery) -> None:
    """Have `handler` called with each `event_type` published from now on. Subscribing the same
    handler twice (a second `ready()` in tests) keeps one subscription."""
    if event_type.in_transaction_only and delivery is not Delivery.IN_TRANSACTION:
        raise ValueError(f"{event_type.__name__} is heard only inside the publisher's transaction.")
    entry = (handler, delivery)
    if entry not in _subscribers[event_type]:
        _subscribers[event_type].append(entry)


def publish(event: Event) -> None:
    """Deliver `event` to its subscribers: the in-transaction ones now, the others on commit."""
    subscribed = _subscribers.get(type(event), [])
    if event.in_transaction_only:
        if not subscribed:
            raise RuntimeError(f"Nobody acts on {type(event).__name__}.")
        if not connection.in_atomic_block:
            raise RuntimeError(f"{type(event).__name__} is published outside a transaction.")
    for handler, delivery in subscribed:
        if delivery is Delivery.IN_TRANSACTION:
            handler(event)
        else:
            transaction.on_commit(_later(handler, event), robust=True)


def _later(handler: Handler, event: Event) -> Callable[[], None]:
    """The handler's call once committed, under the handler's name (Django logs it on failure)."""

    def deliver() -> None:
        handler(event)

    deliver.__qualname__ = getattr(handler, "__qualname__", repr(handler))
    return deliver


def subscribers(event_type: type[Event]) -> list[tuple[Handler, Delivery]]:
    """Who listens to `event_type` (for tests and `docs/architecture.md`'s table)."""
    return list(_subscribers.get(event_type, ()))
