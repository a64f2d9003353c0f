"""Reads of support for its pages: the artisan's advisor and next step, an advisor's
portfolio, the programme's funnel. Pages read kept rows only (Progress, FunnelCount)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from souk.accounts.models import User
from souk.registry.models import Region, Sector
from souk.support.errors import NotFollowed
from souk.support.models import (
    MILESTONES,
    STAGE_DONE,
    Advisor,
    Assignment,
    FunnelCount,
    Milestone,
    Progress,
)


def get_advisor(user: User) -> Advisor | None:
    """The advisor profile of this account, if they are an active advisor."""
    return Advisor.objects.filter(user=user, is_active=True).select_related("user").first()


def get_progress(artisan: User) -> Progress | None:
    return Progress.objects.filter(artisan=artisan).select_related("advisor__user", "shop").first()


def get_current_advisor(artisan: User) -> Advisor | None:
    assignment = (
        Assignment.objects.filter(artisan=artisan, ended_at__isnull=True)
        .select_related("advisor__user")
        .first()
    )
    return assignment.advisor if assignment else None


PORTFOLIO_COLUMNS = (
    "artisan_id",
    "artisan__full_name",
    "artisan__email",
    "artisan__phone",
    "shop__display_name",
    "stage",
    "last_step_at",
)


def list_portfolio(
    *, advisor: Advisor, stuck_days: int | None = None, stage: str = ""
) -> QuerySet[Progress, dict[str, Any]]:
    """The advisor's artisans, longest without a step first, as the portfolio's columns only
    (a page of 100 rows must render in a few milliseconds); `stuck_days`: only those whose
    last step is older than that many days (the path not done)."""
    rows = Progress.objects.filter(advisor=advisor)
    if stuck_days is not None:
        before = timezone.now() - datetime.timedelta(days=stuck_days)
        rows = rows.filter(last_step_at__lt=before).exclude(stage=STAGE_DONE)
    if stage:
        rows = rows.filter(stage=stage)
    columns: QuerySet[Progress, dict[str, Any]] = rows.order_by("last_step_at", "pk").values(
        *PORTFOLIO_COLUMNS
    )
    return columns


def get_portfolio_artisan(*, advisor: Advisor, artisan_id: int) -> Progress:
    """One artisan of the advisor's portfolio; NotFollowed (404) for anyone else's."""
    progress = (
        Progress.objects.filter(advisor=advisor, artisan_id=artisan_id)
        .select_related("artisan", "shop")
        .first()
    )
    if progress is None:
        raise NotFollowed()
    return progress


def list_assignment_history(artisan_id: int) -> QuerySet[Assignment]:
    return Assignment.objects.filter(artisan_id=artisan_id).select_related("advisor__user")


@dataclass(frozen=True)
class FunnelStep:
    milestone: Milestone
    count: int
    percent: int  # of the first step, for the bars


@dataclass(frozen=True)
class FunnelRow:
    region: str
    sector: str
    counts: tuple[int, ...]


def get_funnel(*, region_code: str = "", sector_code: str = "") -> list[FunnelStep]:
    """How many artisans reached each milestone, in path order (optionally of one region or
    sector)."""
    cells = FunnelCount.objects.all()
    if region_code:
        cells = cells.filter(region_code=region_code)
    if sector_code:
        cells = cells.filter(sector_code=sector_code)
    totals = dict(
        cells.values("milestone").annotate(total=Sum("count")).values_list("milestone", "total")
    )
    first = totals.get(MILESTONES[0].value) or 0
    return [
        FunnelStep(
            milestone=m,
            count=totals.get(m.value) or 0,
            percent=round(100 * (totals.get(m.value) or 0) / first) if first else 0,
        )
        for m in MILESTONES
    ]


def list_funnel_rows(*, region_code: str = "", sector_code: str = "") -> list[FunnelRow]:
    """The funnel per region and sector: one row each, the counts in path order."""
    cells = FunnelCount.objects.all()
    if region_code:
        cells = cells.filter(region_code=region_code)
    if sector_code:
        cells = cells.filter(sector_code=sector_code)
    index = {m.value: i for i, m in enumerate(MILESTONES)}
    grid: dict[tuple[str, str], list[int]] = {}
    for region, sector, milestone, count in cells.values_list(
        "region_code", "sector_code", "milestone", "count"
    ):
        grid.setdefault((region, sector), [0] * len(MILESTONES))[index[milestone]] = count
    return [
        FunnelRow(region=region, sector=sector, counts=tuple(counts))
        for (region, sector), counts in sorted(grid.items())
    ]


def list_regions() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def list_sectors() -> QuerySet[Sector]:
    return Sector.objects.order_by("code")
