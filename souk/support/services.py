"""Support's use cases (docs/support.md): give each artisan an advisor, move them, keep their
progress on the path. Each public function owns its transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from souk.accounts.models import User
from souk.core import audit
from souk.support import locks, milestones
from souk.support.errors import NoAdvisorAvailable
from souk.support.models import (
    MILESTONES,
    Advisor,
    Assignment,
    AssignmentReason,
    FunnelCount,
    Progress,
)


def choose_advisor(
    *, region_code: str, sector_code: str, excluding: Iterable[int] = ()
) -> Advisor | None:
    """The advisor for a new artisan of this region and sector: among active advisors under
    their capacity, one covering both, else the region, else anyone; the least loaded first.
    None when every advisor is full (the nightly batch tries again)."""
    under_capacity = (
        Advisor.objects.filter(is_active=True, open_count__lt=F("capacity"))
        .exclude(pk__in=list(excluding))
        .order_by("open_count", "pk")
    )
    tiers = (
        under_capacity.filter(regions=region_code, sectors=sector_code),
        under_capacity.filter(regions=region_code),
        under_capacity,
    )
    for tier in tiers:
        advisor = tier.first()
        if advisor is not None:
            return advisor
    return None


MAX_CHOICES = 5


def _choose_and_lock(
    *, region_code: str, sector_code: str, excluding: Iterable[int] = ()
) -> Advisor | None:
    """choose_advisor, then lock the chosen advisor and count again: two claims choosing the
    same advisor at once are serialised on its row, and the second, finding them full, chooses
    another."""
    skipped = list(excluding)
    for _attempt in range(MAX_CHOICES):
        advisor = choose_advisor(
            region_code=region_code, sector_code=sector_code, excluding=skipped
        )
        if advisor is None:
            return None
        # Read again under the lock: another claim may have just taken the last place.
        locked = locks.advisors([advisor.pk]).get()
        if locked.is_active and locked.open_count < locked.capacity:
            return locked
        skipped.append(advisor.pk)
    return None


def _open(
    *, artisan_id: int, shop_id: int | None, advisor: Advisor, reason: AssignmentReason
) -> Assignment:
    # The caller holds the advisor's row lock (_choose_and_lock).
    assignment = Assignment.objects.create(
        artisan_id=artisan_id, shop_id=shop_id, advisor=advisor, start_reason=reason
    )
    Advisor.objects.filter(pk=advisor.pk).update(open_count=F("open_count") + 1)
    Progress.objects.filter(artisan_id=artisan_id).update(advisor=advisor)
    return assignment


def assign_artisan(
    *,
    artisan: User,
    shop_id: int | None,
    region_code: str,
    sector_code: str,
    reason: AssignmentReason = AssignmentReason.CLAIM,
) -> Assignment | None:
    """Give an artisan with no advisor one (choose_advisor); their open assignment if they
    already have one; None if nobody is available. Runs in the caller's transaction when there
    is one (a claim's)."""
    with transaction.atomic():
        current = locks.open_assignment(artisan.pk).first()
        if current is not None:
            return current
        advisor = _choose_and_lock(region_code=region_code, sector_code=sector_code)
        if advisor is None:
            return None
        return _open(artisan_id=artisan.pk, shop_id=shop_id, advisor=advisor, reason=reason)


@transaction.atomic
def reassign_artisan(
    *, artisan: User, reason: AssignmentReason, actor: User | None, note: str = ""
) -> Assignment:
    """Move an artisan to another advisor (they asked, or an administrator did); the old
    assignment is closed, not deleted. Raises NoAdvisorAvailable when there is no other."""
    current = locks.open_assignment(artisan.pk).first()
    progress = Progress.objects.filter(artisan=artisan).first()
    region = progress.region_code if progress else ""
    sector = progress.sector_code if progress else ""
    excluding = [current.advisor_id] if current else []
    advisor = _choose_and_lock(region_code=region, sector_code=sector, excluding=excluding)
    if advisor is None:
        raise NoAdvisorAvailable()
    shop_id = current.shop_id if current else (progress.shop_id if progress else None)
    if current is not None:
        _close(current, reason=reason)
    assignment = _open(artisan_id=artisan.pk, shop_id=shop_id, advisor=advisor, reason=reason)
    if note:
        assignment.note = note
        assignment.save(update_fields=["note"])
    audit.record(
        actor=actor,
        action="support.reassigned",
        target=assignment,
        reason=note,
        data={"from": excluding[0] if excluding else None, "to": advisor.pk, "why": reason},
    )
    return assignment


def _close(assignment: Assignment, *, reason: AssignmentReason) -> None:
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason
    assignment.save(update_fields=["ended_at", "end_reason"])
    Advisor.objects.filter(pk=assignment.advisor_id).update(open_count=F("open_count") - 1)
    Progress.objects.filter(artisan_id=assignment.artisan_id).update(advisor=None)


@transaction.atomic
def release_advisor(*, advisor: Advisor, actor: User | None) -> dict[int, int]:
    """An advisor leaves: they stop taking artisans, and each of theirs goes to the least
    loaded other advisor by the usual rules, one at a time so the load spreads. Returns how
    many went to each advisor; artisans nobody can take stay unassigned (the batch retries)."""
    locks.advisors([advisor.pk]).first()
    Advisor.objects.filter(pk=advisor.pk).update(is_active=False)
    spread: dict[int, int] = {}
    openings = Assignment.objects.filter(advisor=advisor, ended_at__isnull=True).order_by("pk")
    regions = dict(
        Progress.objects.filter(advisor=advisor).values_list("artisan_id", "region_code")
    )
    sectors = dict(
        Progress.objects.filter(advisor=advisor).values_list("artisan_id", "sector_code")
    )
    for current in list(openings):
        _close(current, reason=AssignmentReason.ADVISOR_LEFT)
        successor = _choose_and_lock(
            region_code=regions.get(current.artisan_id, ""),
            sector_code=sectors.get(current.artisan_id, ""),
            excluding=[advisor.pk],
        )
        if successor is None:
            continue
        _open(
            artisan_id=current.artisan_id,
            shop_id=current.shop_id,
            advisor=successor,
            reason=AssignmentReason.ADVISOR_LEFT,
        )
        spread[successor.pk] = spread.get(successor.pk, 0) + 1
    audit.record(
        actor=actor,
        action="support.advisor_released",
        target=advisor,
        data={str(key): count for key, count in spread.items()},
    )
    return spread


def _values(computed: milestones.Computed) -> dict[str, object]:
    values: dict[str, object] = {
        "shop_id": computed.shop_id,
        "region_code": computed.region_code,
        "sector_code": computed.sector_code,
        "stage": computed.stage,
        "stage_index": computed.stage_index,
        "last_step_at": computed.last_step_at,
        "refreshed_at": timezone.now(),
    }
    for milestone in MILESTONES:
        values[f"{milestone.value}_at"] = computed.dates[milestone.value]
    return values


def _reached(row: Progress | None) -> set[str]:
    if row is None:
        return set()
    return {m.value for m in MILESTONES if getattr(row, f"{m.value}_at") is not None}


def _count(cells: dict[tuple[str, str, str], int]) -> None:
    for (region, sector, milestone), delta in cells.items():
        if not delta:
            continue
        FunnelCount.objects.get_or_create(
            region_code=region, sector_code=sector, milestone=milestone
        )
        FunnelCount.objects.filter(
            region_code=region, sector_code=sector, milestone=milestone
        ).update(count=F("count") + delta)


@transaction.atomic
def refresh_progress(*, artisan_ids: Iterable[int]) -> int:
    """Recompute these artisans' path from the data and keep it (Progress and the funnel's
    counts). Called where news arrives (a claim, a listing or shop change); the nightly
    recompute_all_progress catches what no event tells. Returns the rows kept."""
    computed = milestones.compute(artisan_ids)
    if not computed:
        return 0
    existing = {
        row.artisan_id: row
        for row in Progress.objects.select_for_update().filter(artisan_id__in=list(computed))
    }
    advisors = dict(
        Assignment.objects.filter(artisan_id__in=list(computed), ended_at__isnull=True).values_list(
            "artisan_id", "advisor_id"
        )
    )
    deltas: dict[tuple[str, str, str], int] = {}
    for artisan_id, fresh in computed.items():
        old = existing.get(artisan_id)
        values = _values(fresh)
        values["advisor_id"] = advisors.get(artisan_id)
        now_reached = {m for m, when in fresh.dates.items() if when is not None}
        before = _reached(old)
        if old is not None:
            for milestone in before:
                key = (old.region_code, old.sector_code, milestone)
                deltas[key] = deltas.get(key, 0) - 1
        for milestone in now_reached:
            key = (fresh.region_code, fresh.sector_code, milestone)
            deltas[key] = deltas.get(key, 0) + 1
        Progress.objects.update_or_create(artisan_id=artisan_id, defaults=values)
    _count(deltas)
    return len(computed)


_KEPT_FIELDS = [
    "shop",
    "region_code",
    "sector_code",
    "advisor",
    "stage",
    "stage_index",
    "last_step_at",
    "refreshed_at",
    *(f"{m.value}_at" for m in MILESTONES),
]


def recompute_all_progress(*, chunk_size: int = 2000) -> int:
    """The nightly batch: every artisan's path recomputed from the data in chunks (one
    transaction each, so the site keeps writing), unassigned artisans given an advisor, then
    the funnel's counts rebuilt from the kept rows. Returns the artisans seen."""
    from souk.registry.models import RegisterEntry

    artisan_ids = list(
        RegisterEntry.objects.filter(claimed_by__isnull=False)
        .order_by("claimed_by_id")
        .values_list("claimed_by_id", flat=True)
    )
    for start in range(0, len(artisan_ids), chunk_size):
        _recompute_chunk(artisan_ids[start : start + chunk_size])
    unassigned = Progress.objects.filter(advisor__isnull=True).values_list(
        "artisan_id", "shop_id", "region_code", "sector_code"
    )
    for artisan_id, shop_id, region, sector in list(unassigned):
        assign_artisan(
            artisan=User(pk=artisan_id),
            shop_id=shop_id,
            region_code=region,
            sector_code=sector,
            reason=AssignmentReason.BATCH,
        )
    rebuild_funnel_counts()
    return len(artisan_ids)


@transaction.atomic
def _recompute_chunk(artisan_ids: list[int]) -> None:
    computed = milestones.compute(artisan_ids)
    advisors = dict(
        Assignment.objects.filter(artisan_id__in=artisan_ids, ended_at__isnull=True).values_list(
            "artisan_id", "advisor_id"
        )
    )
    rows = []
    for artisan_id, fresh in computed.items():
        values = _values(fresh)
        values["advisor_id"] = advisors.get(artisan_id)
        rows.append(Progress(artisan_id=artisan_id, **values))
    Progress.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["artisan"],
        update_fields=_KEPT_FIELDS,
        batch_size=500,
    )


@transaction.atomic
def rebuild_funnel_counts() -> None:
    """Count again, from the kept rows, how many artisans of each region and sector reached
    each milestone (one grouped query)."""
    aggregates = {
        m.value: Count("pk", filter=Q(**{f"{m.value}_at__isnull": False})) for m in MILESTONES
    }
    groups = Progress.objects.values("region_code", "sector_code").annotate(**aggregates)
    FunnelCount.objects.all().delete()
    FunnelCount.objects.bulk_create(
        [
            FunnelCount(
                region_code=group["region_code"],
                sector_code=group["sector_code"],
                milestone=m.value,
                count=group[m.value],
            )
            for group in groups
            for m in MILESTONES
            if group[m.value]
        ],
        batch_size=1000,
    )
