"""A cooperative's new manager has no access until they accept the invitation themselves."""

from __future__ import annotations

import pytest

from souk.accounts.tests.factories import make_user
from souk.core.models import AuditEntry
from souk.shops import members
from souk.shops.models import InvitationStatus, MemberRole, ShopInvitation, ShopMember
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db


def manager_pages(shop_id: int) -> list[str]:
    return [
        f"/en/shops/manage/{shop_id}/",
        f"/en/shops/manage/{shop_id}/members/",
        f"/en/earnings/?shop={shop_id}",
    ]


def test_an_invited_manager_has_no_access_until_they_accept(client):
    # given: the owner of a cooperative's shop invites Itto as a manager
    shop = make_approved_shop(cooperative=True)
    itto = make_user(email="itto@souk.example", full_name="Itto Oubella")
    client.force_login(owner_of(shop))
    invited = client.post(
        f"/en/shops/manage/{shop.pk}/members/",
        {"login": "itto@souk.example", "public_name": "", "role": "manager"},
    )
    assert invited.status_code == 302

    # when: before answering, Itto tries the shop's pages
    client.force_login(itto)
    before = [client.get(url).status_code for url in manager_pages(shop.pk)]
    account_page = client.get("/en/account/").content.decode()

    # then: nothing is open, and the account page offers the invitation
    assert before == [404, 404, 404]
    assert not ShopMember.objects.filter(shop=shop, user=itto).exists()
    assert "invites you to join" in account_page

    # when: Itto accepts
    invitation = ShopInvitation.objects.get(shop=shop, invitee=itto)
    accepted = client.post(f"/en/shops/invitations/{invitation.pk}/accept/")

    # then
    assert accepted.status_code == 302
    assert [client.get(url).status_code for url in manager_pages(shop.pk)] == [200, 200, 200]
    assert ShopMember.objects.get(shop=shop, user=itto).role == MemberRole.MANAGER
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert AuditEntry.objects.get(action="shop.member_added").actor == itto


def test_a_declined_invitation_gives_nothing_and_cannot_be_accepted_later(client):
    shop = make_approved_shop(cooperative=True)
    itto = make_user(email="itto@souk.example")
    invitation = members.invite_shop_member(
        shop=shop, actor=owner_of(shop), login="itto@souk.example", role="manager"
    )
    client.force_login(itto)

    declined = client.post(f"/en/shops/invitations/{invitation.pk}/decline/")
    accepted_later = client.post(f"/en/shops/invitations/{invitation.pk}/accept/")

    assert declined.status_code == 302
    assert accepted_later.status_code == 404
    assert not ShopMember.objects.filter(shop=shop, user=itto).exists()
    assert ShopInvitation.objects.get(pk=invitation.pk).status == InvitationStatus.DECLINED


def test_nobody_but_the_invitee_can_accept(client):
    # given: an invitation for Itto; a stranger learns its number
    shop = make_approved_shop(cooperative=True)
    make_user(email="itto@souk.example")
    invitation = members.invite_shop_member(
        shop=shop, actor=owner_of(shop), login="itto@souk.example", role="manager"
    )
    stranger = make_user()
    client.force_login(stranger)

    # when
    response = client.post(f"/en/shops/invitations/{invitation.pk}/accept/")

    # then
    assert response.status_code == 404
    assert ShopMember.objects.filter(shop=shop).count() == 1
    assert ShopInvitation.objects.get(pk=invitation.pk).status == InvitationStatus.PENDING


def test_a_cancelled_invitation_can_no_longer_be_accepted(client):
    shop = make_approved_shop(cooperative=True)
    itto = make_user(email="itto@souk.example")
    invitation = members.invite_shop_member(
        shop=shop, actor=owner_of(shop), login="itto@souk.example", role="manager"
    )
    client.force_login(owner_of(shop))
    cancelled = client.post(f"/en/shops/manage/{shop.pk}/invitations/{invitation.pk}/cancel/")
    client.force_login(itto)

    response = client.post(f"/en/shops/invitations/{invitation.pk}/accept/")

    assert cancelled.status_code == 302
    assert response.status_code == 404
    assert not ShopMember.objects.filter(shop=shop, user=itto).exists()
