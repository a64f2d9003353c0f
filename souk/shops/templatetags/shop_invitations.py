"""`{% pending_shop_invitations %}`: the invitations to join a shop on the account page."""

from __future__ import annotations

from typing import Any

from django import template

from souk.accounts.models import User
from souk.shops import selectors

register = template.Library()


@register.inclusion_tag("shops/_pending_invitations.html", takes_context=True)
def pending_shop_invitations(context: template.Context) -> dict[str, Any]:
    user = context.get("user")
    if not isinstance(user, User):
        return {"invitations": []}
    return {"invitations": list(selectors.list_pending_invitations(user=user))}
