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
nobody, which is allowed: the publisher does not know who listens.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.db import transaction


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every domain event; subclasses are frozen dataclasses named in the past tense."""


class Delivery(enum.Enum):
    IN_TRANSACTION = "in_transaction"
    ON_COMMIT = "on_commit"


E = TypeVar("E", bound=Event)
Handler = Callable[[Any], None]

_subscribers: dict[type[Event], list[tuple[Handler, Delivery]]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], None], *, delivery: Delivery) -> None:
    """Have `handler` called with each `event_type` published from now on. Subscribing the same
    handler twice (a second `ready()` in tests) keeps one subscription."""
    entry = (handler, delivery)
    if entry not in _subscribers[event_type]:
        _subscribers[event_type].append(entry)


def publish(event: Event) -> None:
    """Deliver `event` to its subscribers: the in-transaction ones now, the others on commit."""
    for handler, delivery in _subscribers.get(type(event), ()):
        if delivery is Delivery.IN_TRANSACTION:
            handler(event)
        else:
            transaction.on_commit(partial(handler, event))


def subscribers(event_type: type[Event]) -> list[tuple[Handler, Delivery]]:
    """Who listens to `event_type` (for tests and `docs/architecture.md`'s table)."""
    return list(_subscribers.get(event_type, ()))
