"""An approved shop's name and workshop city change only once a moderator approves them."""

from __future__ import annotations

import pytest

from souk.core.models import AuditEntry
from souk.shops import identity
from souk.shops.errors import CannotModerateOwnShop
from souk.shops.models import IdentityChangeStatus, MemberRole, Shop, ShopIdentityChange, ShopMember
from souk.shops.tests.factories import make_approved_shop, make_moderator, owner_of

pytestmark = pytest.mark.django_db

NEW_NAME = "Poterie Officielle du Royaume"


def profile_form(shop: Shop, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "display_name": shop.display_name,
        "story_fr": shop.story_fr,
        "region": shop.region_id,
        "workshop_city": shop.workshop_city,
        "languages_spoken": shop.languages_spoken,
        "trades": [trade.pk for trade in shop.trades.all()],
    }
    values.update(changes)
    return values


def ask_for_new_identity(client, shop: Shop, **changes: object):
    client.force_login(owner_of(shop))
    return client.post(f"/en/shops/manage/{shop.pk}/profile/", profile_form(shop, **changes))


def test_a_new_name_of_an_approved_shop_waits_for_review_and_buyers_see_the_old_one(client):
    # given
    shop = make_approved_shop()
    approved_name = shop.display_name
    # when
    response = ask_for_new_identity(client, shop, display_name=NEW_NAME, workshop_city="Fès")
    # then
    assert response.status_code == 302
    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.display_name, saved.workshop_city) == (approved_name, "Safi")
    change = ShopIdentityChange.objects.get(shop=shop)
    assert (change.display_name, change.workshop_city, change.status) == (
        NEW_NAME,
        "Fès",
        "pending",
    )
    client.logout()
    public = client.get(f"/en/shops/{shop.slug}/").content.decode()
    assert approved_name in public
    assert NEW_NAME not in public


def test_the_artisan_sees_what_waits_and_the_moderators_queue_lists_it(client):
    # given
    shop = make_approved_shop()
    ask_for_new_identity(client, shop, display_name=NEW_NAME)
    # when
    dashboard = client.get(f"/en/shops/manage/{shop.pk}/").content.decode()
    form = client.get(f"/en/shops/manage/{shop.pk}/profile/").content.decode()
    client.force_login(make_moderator())
    queue = client.get("/en/shops/moderation/").content.decode()
    detail = client.get(f"/en/shops/moderation/{shop.pk}/").content.decode()
    # then
    assert f"Waiting for a moderator: the name <bdi>{NEW_NAME}</bdi>" in dashboard
    assert f'value="{NEW_NAME}"' in form
    assert f"<bdi>{NEW_NAME}</bdi>" in queue
    assert f"/en/shops/moderation/{shop.pk}/identity/" in detail


def test_a_moderator_approves_the_new_name_and_buyers_see_it(client):
    # given
    shop = make_approved_shop()
    address = shop.slug
    ask_for_new_identity(client, shop, display_name=NEW_NAME)
    client.force_login(make_moderator())
    # when
    response = client.post(f"/en/shops/moderation/{shop.pk}/identity/", {"decision": "approve"})
    # then
    assert response.status_code == 302
    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.display_name, saved.slug) == (NEW_NAME, address)
    assert ShopIdentityChange.objects.get(shop=shop).status == IdentityChangeStatus.APPROVED
    assert AuditEntry.objects.filter(action="shop.identity_change_approved").count() == 1
    client.logout()
    assert NEW_NAME in client.get(f"/en/shops/{shop.slug}/").content.decode()


def test_a_rejection_needs_a_reason_and_keeps_the_approved_name(client):
    # given
    shop = make_approved_shop()
    approved_name = shop.display_name
    ask_for_new_identity(client, shop, display_name=NEW_NAME)
    client.force_login(make_moderator())
    url = f"/en/shops/moderation/{shop.pk}/identity/"
    # when
    without_reason = client.post(url, {"decision": "reject", "reason": "  "})
    with_reason = client.post(url, {"decision": "reject", "reason": "Not the registered name."})
    # then
    assert without_reason.status_code == 400
    assert "Write the reason: the artisan will read it." in without_reason.content.decode()
    assert with_reason.status_code == 302
    change = ShopIdentityChange.objects.get(shop=shop)
    assert (change.status, change.reason) == ("rejected", "Not the registered name.")
    assert Shop.objects.get(pk=shop.pk).display_name == approved_name
    client.force_login(owner_of(shop))
    dashboard = client.get(f"/en/shops/manage/{shop.pk}/").content.decode()
    assert f"The name <bdi>{NEW_NAME}</bdi> was not approved" in dashboard
    assert "Not the registered name." in dashboard


def test_a_decision_without_a_pending_change_or_choice_is_refused(client):
    # given
    shop = make_approved_shop()
    client.force_login(make_moderator())
    url = f"/en/shops/moderation/{shop.pk}/identity/"
    # when
    nothing_pending = client.post(url, {"decision": "approve"})
    ask_for_new_identity(client, shop, display_name=NEW_NAME)
    client.force_login(make_moderator())
    no_choice = client.post(url, {"decision": "maybe"})
    # then
    assert nothing_pending.status_code == 409
    assert no_choice.status_code == 400
    assert "Choose to approve or to reject the change." in no_choice.content.decode()
    assert ShopIdentityChange.objects.get(shop=shop).status == "pending"


def test_saving_the_approved_name_again_withdraws_the_pending_change(client):
    # given
    shop = make_approved_shop()
    ask_for_new_identity(client, shop, display_name=NEW_NAME)
    # when
    response = ask_for_new_identity(client, shop)
    # then
    assert response.status_code == 302
    assert not ShopIdentityChange.objects.exists()


def test_a_moderator_who_is_a_member_cannot_approve_the_shops_new_name():
    # given
    shop = make_approved_shop()
    moderator = make_moderator()
    ShopMember.objects.create(shop=shop, user=moderator, role=MemberRole.MEMBER, public_name="M")
    identity.propose_identity_change(
        shop=shop, actor=owner_of(shop), display_name=NEW_NAME, workshop_city="Safi"
    )
    # when
    with pytest.raises(CannotModerateOwnShop):
        identity.approve_identity_change(shop=shop, moderator=moderator)
    # then
    assert Shop.objects.get(pk=shop.pk).display_name != NEW_NAME
