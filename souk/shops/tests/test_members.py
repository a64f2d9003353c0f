"""Members of cooperatives' and companies' shops: invited by a manager, members only once they
accept; and how makers are named to buyers."""

from __future__ import annotations

import pytest

from souk.accounts.models import User
from souk.accounts.tests.factories import make_user
from souk.core.models import AuditEntry
from souk.notifications.models import Notification
from souk.shops import members, selectors, services
from souk.shops.errors import (
    AlreadyAMember,
    AlreadyInvited,
    CannotRemoveOwner,
    MemberAccountNotFound,
    MembersNotAllowed,
    NotShopManager,
)
from souk.shops.models import InvitationStatus, MemberRole, Shop, ShopInvitation, ShopMember
from souk.shops.tests.factories import make_artisan, make_claimed_shop, owner_of

pytestmark = pytest.mark.django_db


def join(shop: Shop, user: User, *, login: str, role: str, public_name: str = "") -> ShopMember:
    """Invited by the shop's owner, and accepted."""
    invitation = members.invite_shop_member(
        shop=shop, actor=owner_of(shop), login=login, role=role, public_name=public_name
    )
    return members.accept_shop_invitation(invitation_id=invitation.pk, invitee=user)


def test_a_cooperative_manager_invites_members_by_email_or_phone_and_they_accept():
    # given
    shop = make_claimed_shop(cooperative=True)
    owner = owner_of(shop)
    itto = make_user(email="itto@souk.example", full_name="Itto Oubella")
    zahra = make_user(email=None, phone="+212661234567", full_name="Zahra Alaoui")

    # when
    join(shop, itto, login="ITTO@souk.example", role="member")
    join(shop, zahra, login="06 61 23 45 67", role="manager", public_name="Zahra")

    # then
    assert [
        (member.user, member.role, member.public_name)
        for member in selectors.list_shop_members(shop)
    ] == [
        (owner, MemberRole.MANAGER, owner.full_name),
        (zahra, MemberRole.MANAGER, "Zahra"),
        (itto, MemberRole.MEMBER, "Itto Oubella"),
    ]
    assert AuditEntry.objects.filter(action="shop.member_invited").count() == 2
    assert AuditEntry.objects.filter(action="shop.member_added").count() == 2
    assert Notification.objects.filter(kind="shop_invitation").count() == 2


def test_a_persons_shop_has_only_its_owner(client):
    shop = make_claimed_shop()
    make_user(email="friend@souk.example")

    with pytest.raises(MembersNotAllowed):
        members.invite_shop_member(
            shop=shop, actor=owner_of(shop), login="friend@souk.example", role="member"
        )

    assert ShopMember.objects.filter(shop=shop).count() == 1
    assert ShopInvitation.objects.count() == 0
    client.force_login(owner_of(shop))
    assert client.get(f"/en/shops/manage/{shop.pk}/members/").status_code == 404


def test_an_unknown_login_twice_the_same_person_and_a_stranger_are_refused():
    shop = make_claimed_shop(company=True)
    owner = owner_of(shop)
    itto = make_user(email="itto@souk.example")
    make_user(email="zahra@souk.example")
    join(shop, itto, login="itto@souk.example", role="member")
    members.invite_shop_member(shop=shop, actor=owner, login="zahra@souk.example", role="member")

    with pytest.raises(MemberAccountNotFound):
        members.invite_shop_member(
            shop=shop, actor=owner, login="nobody@souk.example", role="member"
        )
    with pytest.raises(MemberAccountNotFound):
        members.invite_shop_member(shop=shop, actor=owner, login="not a phone", role="member")
    with pytest.raises(AlreadyAMember):
        members.invite_shop_member(shop=shop, actor=owner, login="itto@souk.example", role="member")
    with pytest.raises(AlreadyInvited):
        members.invite_shop_member(
            shop=shop, actor=owner, login="zahra@souk.example", role="manager"
        )
    with pytest.raises(NotShopManager):
        members.invite_shop_member(
            shop=shop, actor=make_artisan(), login="itto@souk.example", role="member"
        )

    assert ShopMember.objects.filter(shop=shop).count() == 2
    assert ShopInvitation.objects.filter(status=InvitationStatus.PENDING).count() == 1


def test_the_owner_stays_and_other_members_can_be_removed():
    shop = make_claimed_shop(cooperative=True)
    owner = owner_of(shop)
    itto_account = make_user(email="itto@souk.example")
    itto = join(shop, itto_account, login="itto@souk.example", role="member")
    owner_membership = ShopMember.objects.get(shop=shop, user=owner)

    with pytest.raises(CannotRemoveOwner):
        members.remove_shop_member(shop=shop, actor=owner, member_id=owner_membership.pk)
    members.remove_shop_member(shop=shop, actor=owner, member_id=itto.pk)

    assert list(ShopMember.objects.filter(shop=shop)) == [owner_membership]


def test_members_page_sends_an_invitation(client):
    shop = make_claimed_shop(cooperative=True)
    itto = make_user(email="itto@souk.example", full_name="Itto Oubella")
    client.force_login(owner_of(shop))

    response = client.post(
        f"/en/shops/manage/{shop.pk}/members/",
        {"login": "itto@souk.example", "public_name": "", "role": "member"},
    )
    refused = client.post(
        f"/en/shops/manage/{shop.pk}/members/",
        {"login": "nobody@souk.example", "public_name": "", "role": "member"},
    )
    page = client.get(f"/en/shops/manage/{shop.pk}/members/").content.decode()

    assert response.status_code == 302
    assert ShopMember.objects.filter(shop=shop).count() == 1
    assert ShopInvitation.objects.get(shop=shop).invitee == itto
    assert "Invitations waiting for an answer" in page
    assert refused.status_code == 404
    assert refused.context["form"].non_field_errors() == [
        "No account uses this email address or phone number. Ask the person to sign up first."
    ]


def test_display_maker_names_the_member_and_for_a_cooperative_the_shop():
    cooperative = make_claimed_shop(cooperative=True)
    services.update_shop_profile(
        shop=cooperative,
        actor=owner_of(cooperative),
        display_name="the Tafilalet cooperative",
        story_ar="",
        story_fr="",
        story_en="",
        story_es="",
        workshop_city="",
        region=cooperative.region,
        languages_spoken=[],
        trades=[],
    )
    fatima = join(
        cooperative,
        make_user(email="fatima@souk.example"),
        login="fatima@souk.example",
        role="member",
        public_name="Fatima",
    )
    person = make_claimed_shop(owner=make_artisan(full_name="Youssef Tazi"))

    assert selectors.display_maker(fatima) == "made by Fatima at the Tafilalet cooperative"
    assert selectors.display_maker(ShopMember.objects.get(shop=person)) == "made by Youssef Tazi"
