"""The demo's support: advisor@souk.example has a portfolio, newcomers are stuck for weeks, and
forty artisans stand along the whole path (issue #19), each stage counted from the data."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from souk.support.models import Advisor, Assignment, FunnelCount, Milestone, Progress

pytestmark = pytest.mark.django_db

# Where the demo's forty artisans stand: the first milestone each has not reached ("done": all).
# The phone step is not among them: the demo's accounts were never texted a code (onboarding
# sits beside the demo on the ladder), and the path does not ask them for it.
EXPECTED_STAGES = {
    Milestone.PHONE_VERIFIED: 1,  # newcomer1 signed up on a phone, never typed the code
    Milestone.FIRST_PIECE_SENT: 8,  # six newcomers who only claimed, two shops in review
    Milestone.FIRST_PIECE_PUBLISHED: 1,  # shop15's pieces wait for review
    Milestone.PROFILE_COMPLETE: 1,  # shop20 took its story down
    Milestone.PAYOUT_VERIFIED: 1,  # shop10 changed its payout destination: held
    Milestone.FIRST_SALE: 3,
    Milestone.FIRST_SALE_ABROAD: 6,
    Milestone.FIRST_PAYOUT: 6,
    Milestone.FIVE_PIECES: 1,  # shop03, paid out with four pieces
    Milestone.FIRST_REPEAT_BUYER: 5,  # paid out, five pieces or more (shop08: just five)
    "done": 7,  # the demo artisan and the shops with a repeat buyer
}


def test_seed_demo_gives_the_demo_advisor_a_portfolio_with_stuck_newcomers(client):
    call_command("seed_demo", stdout=io.StringIO())

    advisor = Advisor.objects.get(user__email="advisor@souk.example")
    assert Advisor.objects.filter(is_active=True).count() == 3
    assert Progress.objects.filter(advisor__isnull=True).count() == 0
    assert Progress.objects.filter(advisor=advisor).count() >= 10
    assert Assignment.objects.filter(ended_at__isnull=True).count() == Progress.objects.count()
    client.force_login(advisor.user)
    stuck = client.get("/fr/support/portfolio/?stuck=30").content.decode()
    assert stuck.count("/fr/support/portfolio/") >= 2

    # forty artisans along the path, stage by stage, as the funnel counts them too
    assert Progress.objects.count() == 40
    stages = Counter(Progress.objects.values_list("stage", flat=True))
    assert stages == {str(stage): count for stage, count in EXPECTED_STAGES.items()}
    five = Progress.objects.get(artisan__email="shop03@souk.example")
    assert (five.stage, five.five_pieces_at) == (Milestone.FIVE_PIECES, None)
    assert five.first_payout_at is not None
    just = Progress.objects.get(artisan__email="shop08@souk.example")
    assert just.stage == Milestone.FIRST_REPEAT_BUYER
    assert just.five_pieces_at is not None
    reached_five = FunnelCount.objects.filter(milestone=Milestone.FIVE_PIECES)
    assert (
        sum(reached_five.values_list("count", flat=True))
        == Progress.objects.filter(five_pieces_at__isnull=False).count()
    )
