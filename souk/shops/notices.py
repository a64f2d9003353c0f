"""What the shops app tells people through souk.notifications: a moderator's decision on the
shop, a changed payout destination, an invitation to join a shop. Called inside the use case's
transaction: the email and SMS copies go only once it commits."""

from __future__ import annotations

import datetime

from django.urls import reverse, translate_url
from django.utils import translation

from souk.accounts.models import User
from souk.notifications import services as notifications
from souk.notifications.dates import moment_text
from souk.shops.models import MemberRole, Shop, ShopInvitation, ShopMember


def _managers(shop: Shop) -> list[User]:
    members = ShopMember.objects.filter(shop=shop, role=MemberRole.MANAGER).select_related("user")
    return [member.user for member in members.order_by("pk") if member.user.is_active]


def _date(moment: datetime.datetime, language: str) -> str:
    return moment_text(moment, language)


def payout_destination_changed(*, shop: Shop, actor: User) -> None:
    """Tell every manager of `shop` that its payout destination was replaced, by whom, and
    when payouts resume: the real owner learns of a takeover before any money leaves."""
    resume_at = shop.payouts_resume_at()
    ending = (shop.payout_rib or shop.payout_wallet_phone)[-4:]
    for manager in _managers(shop):
        language = manager.preferred_language or "fr"
        notifications.notify(
            recipient=manager,
            kind="payout_destination_changed",
            context={
                "shop": shop.display_name,
                "ending": ending,
                "by": actor.full_name or actor.login_identifier,
                "resume_at": _date(resume_at, language) if resume_at else "",
            },
            url=reverse("shops:edit_payout", args=[shop.pk]),
        )


def shop_invitation(*, invitation: ShopInvitation, actor: User) -> None:
    """Tell the invitee who invites them, into which shop and as what; they answer from their
    account page."""
    invitee = invitation.invitee
    language = invitee.preferred_language or "fr"
    with translation.override(language):
        role = str(invitation.get_role_display()).lower()
    notifications.notify(
        recipient=invitee,
        kind="shop_invitation",
        context={
            "shop": invitation.shop.display_name,
            "by": actor.full_name or actor.login_identifier,
            "role": role,
        },
        url=reverse("accounts:profile"),
    )


def link_for(path: str, language: str) -> str:
    """A full address of a page of this site in `language`, for an SMS."""
    return notifications.absolute_url(translate_url(path, language))


def shop_decided(*, shop: Shop, decision: str, reason: str) -> None:
    """Tell every manager of `shop` a moderator's decision (an action of SHOP_TRANSITIONS), the
    reason given, and where to see it or fix what is asked, by SMS and on their notifications
    page, in their language."""
    path = reverse("shops:dashboard", args=[shop.pk])
    for manager in _managers(shop):
        language = manager.preferred_language or "fr"
        notifications.notify(
            recipient=manager,
            kind="shop_decided",
            context={
                "shop": shop.display_name,
                "decision": decision,
                "reason": reason,
                "link": link_for(path, language),
            },
            url=path,
        )
