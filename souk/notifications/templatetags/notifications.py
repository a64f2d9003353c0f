"""Template helpers of notifications: the unread count for the header."""

from __future__ import annotations

from typing import Any

from django import template

from souk.accounts.models import User
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
    return selectors.count_unread(user)
