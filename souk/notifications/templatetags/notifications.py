"""Template helpers of notifications: the unread count for the header."""

from __future__ import annotations

from typing import Any

from django import template

from souk.accounts.models import User
from souk.core import visitor_state
from souk.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications_count(context: template.Context, user: Any = None) -> int:
    """How many notifications the user (by default the page's `user`) has not read; 0 for a
    visitor. Use as `{% unread_notifications_count as unread %}`."""
    if user is None:
        user = context.get("user")
    if not isinstance(user, User):
        return 0
    request = context.get("request")
    if request is not None and getattr(request, "user", None) == user:
        # Read with the visitor's other answers, in one query (core/visitor_state.py).
        state = visitor_state.read(request)
        if state is not None and "notifications.unread" in state:
            return int(state["notifications.unread"])
    return selectors.count_unread(user)
