"""Each milestone of the path comes from the data, with the date it was reached."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from souk.catalog import services as catalog
from souk.catalog.tests.factories import make_active_product, make_draft_product
from souk.ledger import payouts
from souk.ledger.models import Payout
from souk.ledger.tests.payout_factories import sell
from souk.onboarding.models import PhoneCheck
from souk.orders.tests.factories import make_buyer, make_paid_order
from souk.shops import services as shops
from souk.shops.tests.factories import (
    complete_shop,
    jpeg_bytes,
    make_approved_shop,
    make_claimed_shop,
    owner_of,
    upload,
)
from souk.support import services
from souk.support.models import FunnelCount, Milestone, Progress
from souk.support.tests.factories import make_advisor

pytestmark = pytest.mark.django_db


def reached(progress: Progress) -> set[str]:
    return {m.value for m in Milestone if progress.reached_at(m.value) is not None}


def recompute(shop) -> Progress:
    services.recompute_all_progress()
    return Progress.objects.get(artisan=owner_of(shop))


def test_a_fresh_claim_has_only_the_account_and_the_claim():
    make_advisor()
    shop = make_claimed_shop()
    progress = Progress.objects.get(artisan=owner_of(shop))
    assert reached(progress) == {Milestone.ACCOUNT, Milestone.REGISTER_CLAIMED}
    # no code was ever texted to this account: the phone is not asked, the piece is next
    assert progress.stage == Milestone.FIRST_PIECE_SENT
    assert progress.register_claimed_at == shop.register_entry.claimed_at
    assert progress.region_code == "07"
    assert progress.sector_code == "S01"


def test_the_phone_check_counts_once_verified():
    shop = make_claimed_shop()
    owner = owner_of(shop)
    check = PhoneCheck.objects.create(
        user=owner,
        phone="+212612345678",
        code_digest="x",
        expires_at=timezone.now() + datetime.timedelta(minutes=10),
    )
    waiting = recompute(shop)
    assert Milestone.PHONE_VERIFIED not in reached(waiting)
    assert waiting.stage == Milestone.PHONE_VERIFIED
    verified_at = timezone.now()
    PhoneCheck.objects.filter(pk=check.pk).update(verified_at=verified_at)
    assert recompute(shop).phone_verified_at == verified_at


def test_pieces_sent_published_and_five_published():
    shop = make_approved_shop()
    draft = make_draft_product(shop=shop)
    assert Milestone.FIRST_PIECE_SENT not in reached(recompute(shop))
    catalog.submit_product(product=draft, actor=owner_of(shop))
    progress = recompute(shop)
    assert progress.first_piece_sent_at == draft.created_at
    assert progress.first_piece_published_at is None
    products = [make_active_product(shop=shop) for _ in range(4)]
    progress = recompute(shop)
    assert progress.first_piece_published_at == products[0].published_at
    assert progress.five_pieces_at is None
    fifth = make_active_product(shop=shop)
    assert recompute(shop).five_pieces_at == fifth.published_at


def test_profile_complete_needs_a_story_and_a_photo():
    shop = make_claimed_shop()
    complete_shop(shop)  # the story, the RIB and the documents
    assert Milestone.PROFILE_COMPLETE not in reached(recompute(shop))
    photo = shops.add_shop_photo(
        shop=shop, actor=owner_of(shop), upload=upload("w.jpg", jpeg_bytes())
    )
    assert recompute(shop).profile_complete_at == photo.uploaded_at


def test_payout_destination_counts_once_given_and_not_held():
    shop = make_claimed_shop()
    assert Milestone.PAYOUT_VERIFIED not in reached(recompute(shop))
    shop = complete_shop(shop)
    assert recompute(shop).payout_verified_at is not None
    # a change of destination is held for days: not verified meanwhile
    shops.set_payout_destination(
        shop=shop, actor=owner_of(shop), method="wallet", wallet_phone="+212612345678"
    )
    assert recompute(shop).payout_verified_at is None


def test_sales_at_home_abroad_and_a_buyer_coming_back():
    shop = make_approved_shop()
    product = make_active_product(shop=shop, stock_quantity=10)
    buyer = make_buyer()
    first = make_paid_order(buyer=buyer, products=[(product, 1)])
    progress = recompute(shop)
    assert progress.first_sale_at == first.placed_at
    assert progress.first_sale_abroad_at is None
    assert progress.first_repeat_buyer_at is None
    abroad = make_paid_order(products=[(product, 1)], country="FR")
    again = make_paid_order(buyer=buyer, products=[(product, 1)])
    progress = recompute(shop)
    assert progress.first_sale_at == first.placed_at
    assert progress.first_sale_abroad_at == abroad.placed_at
    assert progress.first_repeat_buyer_at == again.placed_at


def test_first_payout_when_the_bank_says_paid():
    shop = make_approved_shop()
    sell(shop, 45000)
    payouts.start_payout_run(key="test:run", today=datetime.date(2026, 11, 30))
    payout = Payout.objects.get()
    assert recompute(shop).first_payout_at is None
    payouts.import_payout_status(
        content=f"reference,status,date,reason\n{payout.reference},paid,2026-12-01,\n".encode()
    )
    payout.refresh_from_db()
    assert recompute(shop).first_payout_at == payout.status_changed_at


def test_the_stage_is_the_first_milestone_missing_and_the_funnel_counts_kept_rows():
    # given two artisans: one approved with a story and RIB, one only claimed
    advanced = make_approved_shop()
    make_claimed_shop(region_id="03", trade_id="S01-T01")
    # when the batch runs
    progress = recompute(advanced)
    # then the stage is the first piece (missing) even though later milestones are reached
    assert progress.stage == Milestone.FIRST_PIECE_SENT
    assert progress.last_step_at == progress.payout_verified_at
    counts = {
        (c.region_code, c.milestone): c.count for c in FunnelCount.objects.filter(sector_code="S01")
    }
    assert counts[("07", Milestone.REGISTER_CLAIMED)] == 1
    assert counts[("03", Milestone.REGISTER_CLAIMED)] == 1
    assert counts[("07", Milestone.PAYOUT_VERIFIED)] == 1
    assert ("03", Milestone.PAYOUT_VERIFIED) not in counts


def test_refresh_keeps_the_funnel_counts_in_step_with_a_rebuild():
    shops_made = [make_approved_shop() for _ in range(2)]
    services.refresh_progress(artisan_ids=[owner_of(s).pk for s in shops_made])
    kept = set(FunnelCount.objects.values_list("region_code", "sector_code", "milestone", "count"))
    services.rebuild_funnel_counts()
    rebuilt = set(
        FunnelCount.objects.values_list("region_code", "sector_code", "milestone", "count")
    )
    assert {row for row in kept if row[3]} == rebuilt


def test_news_from_the_catalog_refreshes_the_kept_path_without_the_batch(
    django_capture_on_commit_callbacks,
):
    # given an approved shop whose path was kept at the claim
    shop = make_approved_shop()
    # when a piece is published (ProductsChanged, heard on commit)
    with django_capture_on_commit_callbacks(execute=True):
        product = make_active_product(shop=shop)
    # then the kept row knows, and the funnel counted it, with no batch run
    progress = Progress.objects.get(artisan=owner_of(shop))
    assert progress.first_piece_published_at == product.published_at
    assert (
        FunnelCount.objects.get(
            region_code="07", sector_code="S01", milestone=Milestone.FIRST_PIECE_PUBLISHED
        ).count
        == 1
    )
