"""Who hears about a returned payout: the shop's managers and the operators.

Called after commit with the payout's id (a rolled-back return never notifies). Amounts are
formatted in each recipient's own language.
"""

from __future__ import annotations

from django.urls import reverse

from souk.accounts.models import User
from souk.accounts.selectors import list_operators
from souk.core.money import format_money_for_language
from souk.ledger.models import Payout
from souk.notifications import services as notifications
from souk.shops.models import MemberRole

BACKOFFICE_PERMISSION = "accounts.access_backoffice"


def _language(user: User) -> str:
    return user.preferred_language or "fr"


def payout_returned(payout_id: int) -> None:
    """Tell the shop's managers their payout came back, and the operators to follow it up."""
    payout = Payout.objects.select_related("shop").get(pk=payout_id)
    shop = payout.shop
    if shop is None:
        return  # a partner's payout: no shop to tell (docs/payouts.md)
    managers = [
        member.user
        for member in shop.members.filter(role=MemberRole.MANAGER).select_related("user")
    ]
    for manager in managers:
        notifications.notify(
            recipient=manager,
            kind="payout_returned",
            context={
                "reference": payout.reference,
                "amount": format_money_for_language(payout.money, _language(manager)),
                "reason": payout.return_reason,
            },
            url=reverse("ledger:earnings"),
        )
    for operator in list_operators():
        notifications.notify(
            recipient=operator,
            kind="payout_returned_operator",
            context={
                "reference": payout.reference,
                "amount": format_money_for_language(payout.money, _language(operator)),
                "reason": payout.return_reason,
                "shop": shop.display_name,
            },
            url=reverse("ledger:operations"),
        )
