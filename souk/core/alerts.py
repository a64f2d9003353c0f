"""Alerts to the operators, raised by core's own machinery (periodic jobs, task leases).

Core is the ground floor: it knows neither who the operators are (accounts) nor how a message
reaches them (notifications). So it defines the alert and a registry of handlers, and the app
that can deliver one registers its handler in its AppConfig.ready() (notifications: a
notification to every operator). With no handler registered an alert is only logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Alert:
    """What went wrong: `kind` names the message's templates, `context` holds plain values the
    caller already formatted, `url` is a path on this site where an operator can look."""

    kind: str
    context: Mapping[str, object] = field(default_factory=dict)
    url: str = ""


AlertHandler = Callable[[Alert], None]

_handlers: list[AlertHandler] = []


def register_handler(handler: AlertHandler) -> None:
    """Deliver every later alert to `handler` too; registering the same handler twice is a
    no-op (AppConfig.ready() may run more than once in tests)."""
    if handler not in _handlers:
        _handlers.append(handler)


def alert_operators(alert: Alert) -> None:
    """Hand `alert` to every registered handler, in the caller's transaction; an error of a
    handler reaches the caller, which decides whether an alert that failed matters."""
    if not _handlers:
        logger.warning("Alert %s with no handler to deliver it: %s", alert.kind, alert.context)
    for handler in list(_handlers):
        handler(alert)
