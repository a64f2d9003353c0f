"""The shop's status: one table of moves, moderators' reasons, an audit entry for each move."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation

from souk.accounts.tests.factories import make_user
from souk.core.machine import Actor
from souk.core.models import AuditEntry
from souk.shops import services
from souk.shops.errors import (
    CannotModerateOwnShop,
    IllegalShopTransition,
    NotAModerator,
    ReasonRequired,
    ShopIncomplete,
    ShopNotEditable,
)
from souk.shops.models import SHOP_TRANSITIONS, KycKind, Shop, ShopStatus
from souk.shops.tests.factories import (
    complete_shop,
    make_approved_shop,
    make_artisan,
    make_claimed_shop,
    make_moderator,
    owner_of,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def shop_audit(shop: Shop) -> list[tuple[object, str, str, dict[str, Any]]]:
    """(actor, action, reason, data) of the shop's status moves, oldest first."""
    return [
        (entry.actor, entry.action, entry.reason, entry.data)
        for entry in AuditEntry.objects.filter(
            target_type="shops.shop", target_id=str(shop.pk)
        ).order_by("at", "id")
        if entry.action
        not in {
            "shop.created",
            "shop.profile_updated",
            "shop.payout_destination_set",
            "shop.kyc_document_uploaded",
            "shop.workshop_address",
        }
    ]


def pending_shop() -> Shop:
    shop = complete_shop(make_claimed_shop())
    return services.submit_shop_for_review(shop=shop, actor=owner_of(shop))


def test_the_table_holds_exactly_the_allowed_moves():
    moves = {
        (source, t.target, role, t.reason_required)
        for t in SHOP_TRANSITIONS
        for source in t.sources
        for role in t.roles
    }

    assert moves == {
        ("draft", "pending_review", Actor.ARTISAN, False),
        ("pending_review", "approved", Actor.MODERATOR, False),
        ("pending_review", "changes_requested", Actor.MODERATOR, True),
        ("pending_review", "rejected", Actor.MODERATOR, True),
        ("changes_requested", "pending_review", Actor.ARTISAN, False),
        ("approved", "suspended", Actor.MODERATOR, True),
        ("suspended", "approved", Actor.MODERATOR, False),
    }


def test_a_shop_is_submitted_only_once_complete():
    # given: a fresh draft
    shop = make_claimed_shop()

    # when
    with pytest.raises(ShopIncomplete) as refusal:
        services.submit_shop_for_review(shop=shop, actor=owner_of(shop))

    # then: what is missing, and nothing moved
    assert isinstance(refusal.value.detail, list)
    assert [str(item) for item in refusal.value.detail] == [
        "Your story, in at least one language",
        "Where to send your earnings (RIB or mobile wallet)",
        "A scan of your national ID card",
        "A scan of your artisan card or register certificate",
    ]
    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.DRAFT
    assert shop_audit(shop) == []


def test_submit_then_approve_records_each_move_with_its_actor():
    # given
    shop = complete_shop(make_claimed_shop())
    owner, moderator = owner_of(shop), make_moderator()

    # when
    services.submit_shop_for_review(shop=shop, actor=owner)
    services.approve_shop(shop=shop, moderator=moderator)

    # then
    saved = Shop.objects.get(pk=shop.pk)
    assert saved.status == ShopStatus.APPROVED
    assert saved.submitted_at is not None
    assert saved.approved_at is not None
    assert shop_audit(shop) == [
        (owner, "shop.submit", "", {"from": "draft", "to": "pending_review", "role": "artisan"}),
        (
            moderator,
            "shop.approve",
            "",
            {"from": "pending_review", "to": "approved", "role": "moderator"},
        ),
        # Approving accepts the documents the moderator saw: payouts may start.
        (moderator, "shop.kyc_documents_accepted", "", {"kinds": ["id_card", "register_card"]}),
    ]
    assert saved.kyc_documents.filter(accepted_at__isnull=True).count() == 0


def test_requesting_changes_needs_a_reason_and_a_refusal_changes_nothing():
    shop = pending_shop()
    moderator = make_moderator()

    with pytest.raises(ReasonRequired):
        services.request_shop_changes(shop=shop, moderator=moderator, reason="   ")

    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.status, saved.status_reason) == (ShopStatus.PENDING_REVIEW, "")
    assert [action for _actor, action, _reason, _data in shop_audit(shop)] == ["shop.submit"]


def test_changes_requested_then_resubmitted_then_approved():
    # given
    shop = pending_shop()
    moderator, owner = make_moderator(), owner_of(shop)

    # when
    services.request_shop_changes(
        shop=shop, moderator=moderator, reason="أضيفي صورة للورشة من فضلك"
    )
    asked = Shop.objects.get(pk=shop.pk)
    services.submit_shop_for_review(shop=shop, actor=owner)
    services.approve_shop(shop=shop, moderator=moderator)

    # then
    assert (asked.status, asked.status_reason) == (
        ShopStatus.CHANGES_REQUESTED,
        "أضيفي صورة للورشة من فضلك",
    )
    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.status, saved.status_reason) == (ShopStatus.APPROVED, "")
    assert shop_audit(shop) == [
        (owner, "shop.submit", "", {"from": "draft", "to": "pending_review", "role": "artisan"}),
        (
            moderator,
            "shop.request_changes",
            "أضيفي صورة للورشة من فضلك",
            {"from": "pending_review", "to": "changes_requested", "role": "moderator"},
        ),
        (
            owner,
            "shop.resubmit",
            "",
            {"from": "changes_requested", "to": "pending_review", "role": "artisan"},
        ),
        (
            moderator,
            "shop.approve",
            "",
            {"from": "pending_review", "to": "approved", "role": "moderator"},
        ),
        (moderator, "shop.kyc_documents_accepted", "", {"kinds": ["id_card", "register_card"]}),
    ]


def test_rejecting_needs_a_reason_and_a_rejected_shop_goes_nowhere():
    shop = pending_shop()
    moderator = make_moderator()
    with pytest.raises(ReasonRequired):
        services.reject_shop(shop=shop, moderator=moderator, reason="")

    services.reject_shop(shop=shop, moderator=moderator, reason="Not a craft product.")

    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.status, saved.status_reason) == (ShopStatus.REJECTED, "Not a craft product.")
    for action in ("approve", "request_changes", "reject", "suspend", "reinstate"):
        with pytest.raises(IllegalShopTransition):
            services.moderate_shop(shop=shop, moderator=moderator, action=action, reason="x")
    with pytest.raises(IllegalShopTransition):
        services.submit_shop_for_review(shop=shop, actor=owner_of(shop))
    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.REJECTED


@pytest.mark.parametrize("action", ["approve", "request_changes", "reject", "suspend", "reinstate"])
def test_a_moderator_cannot_decide_on_a_draft(action):
    shop = make_claimed_shop()

    with pytest.raises(IllegalShopTransition):
        services.moderate_shop(shop=shop, moderator=make_moderator(), action=action, reason="x")

    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.DRAFT
    assert shop_audit(shop) == []


def test_an_unknown_action_is_an_illegal_transition():
    shop = pending_shop()

    with pytest.raises(IllegalShopTransition):
        services.moderate_shop(shop=shop, moderator=make_moderator(), action="publish")


def test_suspending_needs_a_reason_and_reinstating_keeps_the_first_approval_date():
    shop = make_approved_shop()
    moderator = make_moderator()
    approved_at = shop.approved_at

    with pytest.raises(ReasonRequired):
        services.suspend_shop(shop=shop, moderator=moderator, reason="")
    services.suspend_shop(shop=shop, moderator=moderator, reason="Counterfeit reported.")
    suspended = Shop.objects.get(pk=shop.pk)
    services.reinstate_shop(shop=shop, moderator=moderator)

    assert (suspended.status, suspended.status_reason) == (
        ShopStatus.SUSPENDED,
        "Counterfeit reported.",
    )
    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.status, saved.approved_at) == (ShopStatus.APPROVED, approved_at)
    assert [(action, reason) for _actor, action, reason, _data in shop_audit(shop)][-2:] == [
        ("shop.suspend", "Counterfeit reported."),
        ("shop.reinstate", ""),
    ]


def test_only_moderators_decide():
    shop = pending_shop()

    with pytest.raises(NotAModerator):
        services.approve_shop(shop=shop, moderator=make_artisan())

    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.PENDING_REVIEW


def test_a_moderator_cannot_decide_on_a_shop_they_belong_to():
    moderator = make_moderator()
    shop = complete_shop(make_claimed_shop(owner=moderator))
    services.submit_shop_for_review(shop=shop, actor=moderator)

    with pytest.raises(CannotModerateOwnShop):
        services.approve_shop(shop=shop, moderator=moderator)

    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.PENDING_REVIEW


def test_the_shop_cannot_be_edited_while_a_moderator_reviews_it():
    shop = pending_shop()

    with pytest.raises(ShopNotEditable):
        services.set_payout_destination(
            shop=shop, actor=owner_of(shop), method="wallet", wallet_phone="0612345678"
        )

    assert Shop.objects.get(pk=shop.pk).payout_method == "rib"


def test_moderation_pages_need_the_moderate_content_permission(client):
    shop = pending_shop()

    assert client.get("/en/shops/moderation/")["Location"].startswith("/en/account/login/")
    client.force_login(make_artisan())
    assert client.get("/en/shops/moderation/").status_code == 403
    assert client.get(f"/en/shops/moderation/{shop.pk}/").status_code == 403
    client.force_login(make_moderator())
    queue = client.get("/en/shops/moderation/")
    assert queue.status_code == 200
    assert list(queue.context["page"].object_list) == [shop]


def test_moderator_requests_changes_on_the_page_and_sees_the_history(client):
    # given
    shop = pending_shop()
    moderator = make_moderator(full_name="Karim El Idrissi")
    client.force_login(moderator)
    url = f"/en/shops/moderation/{shop.pk}/"

    # when: without a reason, then with one
    refused = client.post(url, {"action": "request_changes", "reason": ""})
    accepted = client.post(url, {"action": "request_changes", "reason": "Add a workshop photo."})

    # then
    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors() == [
        "Write the reason: the artisan will read it."
    ]
    assert accepted.status_code == 302
    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.CHANGES_REQUESTED
    page = client.get(url).content.decode()
    assert "shop.request_changes" in page
    assert "Add a workshop photo." in page
    assert "registry.entry_claimed" in page


def test_dashboard_shows_the_moderators_words_as_written_and_the_translated_status(client):
    shop = pending_shop()
    services.request_shop_changes(
        shop=shop, moderator=make_moderator(), reason="أضيفي صورة للورشة من فضلك"
    )
    client.force_login(owner_of(shop))

    html = client.get(f"/ar/shops/manage/{shop.pk}/").content.decode()

    assert 'dir="rtl"' in html
    assert "أضيفي صورة للورشة من فضلك" in html
    with translation.override("ar"):
        label = translation.gettext("Changes requested")
    assert f'status--changes_requested">{label}</span>' in html


def test_dashboard_lists_what_is_missing_and_offers_to_submit_once_complete(client):
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))
    url = f"/en/shops/manage/{shop.pk}/"

    before = client.get(url)
    complete_shop(shop)
    after = client.get(url).content.decode()
    submitted = client.post(f"/en/shops/manage/{shop.pk}/submit/")

    assert [str(item) for item in before.context["missing"]][:2] == [
        "Your story, in at least one language",
        "Where to send your earnings (RIB or mobile wallet)",
    ]
    assert f'action="/en/shops/manage/{shop.pk}/submit/"' not in before.content.decode()
    assert f'action="/en/shops/manage/{shop.pk}/submit/"' in after
    assert submitted.status_code == 302
    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.PENDING_REVIEW


def test_submitting_an_incomplete_shop_by_hand_is_a_translated_error_page(client):
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))

    response = client.post(f"/en/shops/manage/{shop.pk}/submit/")

    assert response.status_code == 400
    assert "Complete the missing items before submitting the shop for review." in (
        response.content.decode()
    )
    assert Shop.objects.get(pk=shop.pk).status == ShopStatus.DRAFT


def test_a_buyer_is_not_a_moderator(client):
    client.force_login(make_user())

    assert client.get("/en/shops/moderation/").status_code == 403


def test_the_queue_flags_shops_whose_documents_await_acceptance(client):
    # given: a shop in review (its two documents not accepted yet), and an approved shop that
    # sent a new ID card scan (a new upload clears the acceptance)
    waiting = pending_shop()
    approved = make_approved_shop()
    services.upload_kyc_document(
        shop=approved, actor=owner_of(approved), kind=KycKind.ID_CARD, upload=pdf_upload()
    )
    make_approved_shop()  # its documents accepted on approval: not listed
    client.force_login(make_moderator())
    # when
    with translation.override("en"):
        english = client.get("/en/shops/moderation/").content.decode()
    french = client.get("/fr/shops/moderation/").content.decode()
    arabic = client.get("/ar/shops/moderation/").content.decode()
    # then: both shops with waiting documents listed with how many, the accepted one not
    assert "Documents waiting for acceptance" in english
    section = english.split("Documents waiting for acceptance", 1)[1].split("</section>")[0]
    listed = re.findall(
        r'href="/en/shops/moderation/(\d+)/"><bdi>[^<]*</bdi></a> · ([^<]*) <', section
    )
    assert listed == [
        (str(waiting.pk), "2 documents to accept"),
        (str(approved.pk), "1 document to accept"),
    ]
    # and the shop in review is flagged in the queue's table
    assert '<strong class="badge">2 to accept</strong>' in english
    assert "Documents en attente d'acceptation" in french
    assert "2 documents à accepter" in french
    assert "وثائق تنتظر القبول" in arabic
    assert "وثيقتان للقبول" in arabic
