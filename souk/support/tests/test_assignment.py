"""Who follows whom: a claim gives an advisor by region, sector and load; moves keep history."""

from __future__ import annotations

import pytest

from souk.accounts.models import User
from souk.core.models import AuditEntry
from souk.support import services
from souk.support.errors import NoAdvisorAvailable
from souk.support.models import Advisor, Assignment, AssignmentReason
from souk.support.tests.factories import make_advisor, make_artisan_in, progress_of

pytestmark = pytest.mark.django_db


def open_advisor(artisan: User) -> Advisor:
    return Assignment.objects.get(artisan=artisan, ended_at__isnull=True).advisor


def test_a_claim_is_followed_by_the_advisor_of_its_region_and_sector():
    # given an advisor for Marrakech pottery, one for Marrakech wood, one for Fès pottery
    pottery = make_advisor(regions=["07"], sectors=["S01"])
    make_advisor(regions=["07"], sectors=["S05"])
    make_advisor(regions=["03"], sectors=["S01"])
    # when a Marrakech potter claims their entry
    artisan = make_artisan_in(region="07", trade="S01-T01")
    # then the pottery advisor of Marrakech follows them, and the kept path says so
    assignment = Assignment.objects.get(artisan=artisan)
    assert assignment.advisor == pottery
    assert assignment.start_reason == AssignmentReason.CLAIM
    assert assignment.ended_at is None
    assert progress_of(artisan).advisor == pottery


def test_claims_are_balanced_by_load_and_respect_capacity():
    # given two advisors covering the same ground, one with room for a single artisan
    small = make_advisor(capacity=1)
    large = make_advisor(capacity=10)
    # when four artisans claim
    artisans = [make_artisan_in() for _ in range(4)]
    # then the load alternates while both have room, then goes where there is room
    advisors = [open_advisor(artisan) for artisan in artisans]
    assert advisors.count(small) == 1
    assert advisors.count(large) == 3
    assert advisors[0] == small  # same load, lower id first


def test_without_a_sector_match_the_region_comes_first_then_anyone():
    # given only a Marrakech wood advisor and a Fès pottery one
    region_only = make_advisor(regions=["07"], sectors=["S05"])
    elsewhere = make_advisor(regions=["03"], sectors=["S01"], capacity=5)
    # when a Marrakech potter claims, the regional advisor takes them
    first = make_artisan_in(region="07")
    assert open_advisor(first) == region_only
    # and a potter of Rabat (no advisor of the region) goes to whoever has the least load
    second = make_artisan_in(region="04")
    assert open_advisor(second) == elsewhere


def test_nobody_is_assigned_when_every_advisor_is_full():
    make_advisor(capacity=0)
    artisan = make_artisan_in()
    assert not Assignment.objects.filter(artisan=artisan).exists()
    assert progress_of(artisan).advisor is None


def test_an_artisan_who_asks_for_another_advisor_keeps_the_history():
    # given an artisan followed by one of two advisors
    first = make_advisor()
    second = make_advisor()
    artisan = make_artisan_in()
    assert open_advisor(artisan) == first
    # when they ask for another
    services.reassign_artisan(
        artisan=artisan,
        reason=AssignmentReason.ARTISAN_ASKED,
        actor=artisan,
        note="Speaks Tachelhit",
    )
    # then the first assignment is closed with the reason, the second is open
    history = list(Assignment.objects.filter(artisan=artisan).order_by("started_at", "pk"))
    assert [a.advisor for a in history] == [first, second]
    assert history[0].ended_at is not None
    assert history[0].end_reason == AssignmentReason.ARTISAN_ASKED
    assert history[1].ended_at is None
    assert history[1].start_reason == AssignmentReason.ARTISAN_ASKED
    assert progress_of(artisan).advisor == second
    assert AuditEntry.objects.filter(action="support.reassigned").count() == 1


def test_asking_for_another_advisor_when_there_is_none_changes_nothing():
    only = make_advisor()
    artisan = make_artisan_in()
    with pytest.raises(NoAdvisorAvailable):
        services.reassign_artisan(
            artisan=artisan, reason=AssignmentReason.ARTISAN_ASKED, actor=artisan
        )
    assert list(Assignment.objects.filter(artisan=artisan).values_list("advisor", "ended_at")) == [
        (only.pk, None)
    ]


def test_an_advisor_who_leaves_has_their_artisans_spread_over_the_others():
    # given an advisor with four artisans, then two colleagues arriving
    leaving = make_advisor()
    artisans = [make_artisan_in() for _ in range(4)]
    colleague_a = make_advisor()
    colleague_b = make_advisor()
    # when the first leaves
    spread = services.release_advisor(advisor=leaving, actor=None)
    # then the four are shared two and two, the old assignments closed as "advisor left"
    assert spread == {colleague_a.pk: 2, colleague_b.pk: 2}
    for artisan in artisans:
        closed = Assignment.objects.get(artisan=artisan, advisor=leaving)
        assert closed.end_reason == AssignmentReason.ADVISOR_LEFT
        assert open_advisor(artisan) in {colleague_a, colleague_b}
    leaving.refresh_from_db()
    assert leaving.is_active is False
    # the kept loads match the open assignments
    for advisor in (leaving, colleague_a, colleague_b):
        advisor.refresh_from_db()
        assert (
            advisor.open_count
            == Assignment.objects.filter(advisor=advisor, ended_at__isnull=True).count()
        )
    assert (leaving.open_count, colleague_a.open_count, colleague_b.open_count) == (0, 2, 2)
    # and a new claim no longer goes to them
    assert open_advisor(make_artisan_in()) != leaving
