"""Members of cooperatives' and companies' shops: invited by a manager, members only once
they accept from their own account, removed by a manager. Each use case owns its transaction
and writes its audit entry inside it.

An invitation changes nothing by itself: until the invitee accepts, they have no access to the
shop's pages, earnings or payout account (issue #13: no manager added without consent).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.accounts import selectors as accounts
from souk.accounts.models import User
from souk.core import audit
from souk.shops import locks, notices
from souk.shops.errors import (
    AlreadyAMember,
    AlreadyInvited,
    CannotRemoveOwner,
    InvalidShopDetails,
    MemberAccountNotFound,
    MembersNotAllowed,
)
from souk.shops.models import InvitationStatus, MemberRole, Shop, ShopInvitation, ShopMember
from souk.shops.services import _lock_as_manager


def invite_shop_member(
    *, shop: Shop, actor: User, login: str, role: str, public_name: str = ""
) -> ShopInvitation:
    """Invite an existing account, found by its email or phone, into a cooperative's or a
    company's shop; the invitee is told, and becomes a member only by accepting.

    Persons' shops have only their owner. Raises MemberAccountNotFound, AlreadyAMember,
    AlreadyInvited.
    """
    if role not in MemberRole.values:
        raise InvalidShopDetails(_("Choose a role."))
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor, must_be_editable=False)
        if not locked.has_members:
            raise MembersNotAllowed()
        try:
            user = accounts.get_user_by_login(identifier=login)
        except (User.DoesNotExist, ValidationError) as error:
            raise MemberAccountNotFound() from error
        if ShopMember.objects.filter(shop=locked, user=user).exists():
            raise AlreadyAMember()
        pending = ShopInvitation.objects.filter(
            shop=locked, invitee=user, status=InvitationStatus.PENDING
        )
        if pending.exists():
            raise AlreadyInvited()
        invitation = ShopInvitation.objects.create(
            shop=locked,
            invitee=user,
            role=role,
            public_name=" ".join(public_name.split())[:150],
            invited_by=actor,
        )
        audit.record(
            actor=actor,
            action="shop.member_invited",
            target=locked,
            data={"user": user.pk, "role": role, "invitation": invitation.pk},
        )
        notices.shop_invitation(invitation=invitation, actor=actor)
        return invitation


def _lock_pending_invitation(*, invitation_id: int, invitee: User) -> ShopInvitation:
    """The invitee's pending invitation, its shop locked; ShopInvitation.DoesNotExist for
    anyone else's or one already answered, so that its existence is not revealed."""
    shop_id = (
        ShopInvitation.objects.filter(pk=invitation_id, invitee=invitee)
        .values_list("shop_id", flat=True)
        .get()
    )
    locks.shop_for_update(shop_id).get()
    return ShopInvitation.objects.select_related("shop").get(
        pk=invitation_id, invitee=invitee, status=InvitationStatus.PENDING
    )


def accept_shop_invitation(*, invitation_id: int, invitee: User) -> ShopMember:
    """The invitee joins the shop with the role offered. Raises ShopInvitation.DoesNotExist
    unless it is their pending invitation, AlreadyAMember if they joined meanwhile."""
    with transaction.atomic():
        invitation = _lock_pending_invitation(invitation_id=invitation_id, invitee=invitee)
        if ShopMember.objects.filter(shop=invitation.shop, user=invitee).exists():
            raise AlreadyAMember()
        member = ShopMember.objects.create(
            shop=invitation.shop,
            user=invitee,
            role=invitation.role,
            public_name=invitation.public_name or invitee.full_name,
        )
        invitation.status = InvitationStatus.ACCEPTED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        audit.record(
            actor=invitee,
            action="shop.member_added",
            target=invitation.shop,
            data={
                "user": invitee.pk,
                "role": invitation.role,
                "invitation": invitation.pk,
                "invited_by": invitation.invited_by_id,
            },
        )
        return member


def decline_shop_invitation(*, invitation_id: int, invitee: User) -> ShopInvitation:
    """The invitee says no; nothing else changes. Raises ShopInvitation.DoesNotExist unless
    it is their pending invitation."""
    with transaction.atomic():
        invitation = _lock_pending_invitation(invitation_id=invitation_id, invitee=invitee)
        invitation.status = InvitationStatus.DECLINED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        audit.record(
            actor=invitee,
            action="shop.invitation_declined",
            target=invitation.shop,
            data={"user": invitee.pk, "invitation": invitation.pk},
        )
        return invitation


def cancel_shop_invitation(*, shop: Shop, actor: User, invitation_id: int) -> None:
    """A manager withdraws a pending invitation. Raises ShopInvitation.DoesNotExist for one
    of another shop or already answered."""
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor, must_be_editable=False)
        invitation = ShopInvitation.objects.get(
            pk=invitation_id, shop=locked, status=InvitationStatus.PENDING
        )
        invitation.status = InvitationStatus.CANCELLED
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        audit.record(
            actor=actor,
            action="shop.invitation_cancelled",
            target=locked,
            data={"user": invitation.invitee_id, "invitation": invitation.pk},
        )


def remove_shop_member(*, shop: Shop, actor: User, member_id: int) -> None:
    """Take someone out of the shop; the account that claimed the entry always stays."""
    with transaction.atomic():
        locked = _lock_as_manager(shop, actor, must_be_editable=False)
        member = ShopMember.objects.get(shop=locked, pk=member_id)
        if member.user_id == locked.register_entry.claimed_by_id:
            raise CannotRemoveOwner()
        member.delete()
        audit.record(
            actor=actor,
            action="shop.member_removed",
            target=locked,
            data={"user": member.user_id, "role": member.role},
        )
