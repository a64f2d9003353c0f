"""Reads of help on request and nudges for their pages: the artisan's own requests, the
advisor's queue (their portfolio's only), the programme's response times by region."""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from souk.accounts.models import User
from souk.support.errors import HelpRequestNotFound, NotFollowed
from souk.support.help_models import ACTIVE_STATUSES, HelpNote, HelpRequest, HelpStatus, Nudge
from souk.support.models import Advisor

# Closed and withdrawn requests stay in the advisor's queue this long.
RECENTLY_CLOSED = datetime.timedelta(days=30)


def list_my_requests(artisan: User) -> QuerySet[HelpRequest]:
    """The artisan's requests, newest first."""
    return (
        HelpRequest.objects.filter(artisan=artisan)
        .select_related("advisor__user")
        .order_by("-created_at", "-pk")
    )


def get_my_request(*, artisan: User, request_id: int) -> HelpRequest:
    """One of the artisan's own requests; HelpRequestNotFound (404) for anyone else's."""
    found = HelpRequest.objects.filter(artisan=artisan, pk=request_id).first()
    if found is None:
        raise HelpRequestNotFound()
    return found


def _portfolio_requests(advisor: Advisor) -> QuerySet[HelpRequest]:
    # The advisor following the artisan now answers, whoever followed them when they asked.
    return HelpRequest.objects.filter(artisan__support_progress__advisor=advisor)


def list_queue(
    *, advisor: Advisor, now: datetime.datetime | None = None
) -> tuple[list[HelpRequest], list[HelpRequest]]:
    """The advisor's queue: requests waiting (oldest first) and those closed lately."""
    now = now or timezone.now()
    rows = _portfolio_requests(advisor).select_related("artisan")
    waiting = list(rows.filter(status__in=ACTIVE_STATUSES).order_by("created_at", "pk"))
    closed = list(
        rows.exclude(status__in=ACTIVE_STATUSES)
        .filter(closed_at__gte=now - RECENTLY_CLOSED)
        .order_by("-closed_at", "-pk")
    )
    return waiting, closed


def get_queue_request(*, advisor: Advisor, request_id: int) -> HelpRequest:
    """A request of the advisor's portfolio; NotFollowed (404) for any other, existing or
    not."""
    found = (
        _portfolio_requests(advisor)
        .filter(pk=request_id)
        .select_related("artisan", "artisan__support_progress__shop")
        .first()
    )
    if found is None:
        raise NotFollowed()
    return found


def list_notes(request: HelpRequest) -> QuerySet[HelpNote]:
    return request.notes.select_related("author")


def list_recent_nudges(*, advisor: Advisor, days: int = 14) -> QuerySet[Nudge]:
    """The nudges sent lately to artisans the advisor followed then, newest first."""
    since = timezone.now() - datetime.timedelta(days=days)
    return Nudge.objects.filter(advisor=advisor, sent_at__gte=since).select_related("artisan")


@dataclass(frozen=True)
class ResponseTimes:
    region: str
    asked: int
    waiting: int
    # Hours; None when no request of the region got that far.
    median_to_proposal: float | None
    median_to_close: float | None
    # Of the requests that got a proposal, the share within two days, in percent.
    proposed_within_two_days: int | None


def _hours(deltas: list[datetime.timedelta]) -> float | None:
    if not deltas:
        return None
    return round(statistics.median(d.total_seconds() for d in deltas) / 3600, 1)


def list_response_times(
    *, since: datetime.datetime | None = None, region_code: str = ""
) -> list[ResponseTimes]:
    """Per region, the requests asked since `since` (90 days by default): how many, how many
    still wait, the median hours from asking to the first proposal and to the close (closed by
    the advisor; withdrawn ones are not counted), and the share proposed within 48 hours.
    Computed in Python from four columns: requests number thousands, not millions."""
    since = since or timezone.now() - datetime.timedelta(days=90)
    rows = HelpRequest.objects.filter(created_at__gte=since)
    if region_code:
        rows = rows.filter(region_code=region_code)
    by_region: dict[str, list[tuple[str, datetime.datetime, object, object]]] = {}
    for region, status, created, proposed, closed in rows.values_list(
        "region_code", "status", "created_at", "first_proposed_at", "closed_at"
    ):
        by_region.setdefault(region, []).append((status, created, proposed, closed))
    result = []
    for region, items in sorted(by_region.items()):
        to_proposal = [p - c for s, c, p, _ in items if isinstance(p, datetime.datetime)]
        to_close = [
            done - c
            for s, c, _, done in items
            if s == HelpStatus.CLOSED and isinstance(done, datetime.datetime)
        ]
        quick = sum(1 for d in to_proposal if d <= datetime.timedelta(hours=48))
        result.append(
            ResponseTimes(
                region=region,
                asked=len(items),
                waiting=sum(1 for s, *_ in items if s in ACTIVE_STATUSES),
                median_to_proposal=_hours(to_proposal),
                median_to_close=_hours(to_close),
                proposed_within_two_days=round(100 * quick / len(to_proposal))
                if to_proposal
                else None,
            )
        )
    return result
