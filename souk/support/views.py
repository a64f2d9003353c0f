"""Support's pages (docs/support.md): the artisan's advisor and path, the advisor's
portfolio, the programme's funnel. Each parses, authorises, reads kept rows, renders."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from souk.accounts.models import User
from souk.support import coach, nudges, selectors, services
from souk.support.errors import NotFollowed
from souk.support.forms import AnotherAdvisorForm, FunnelFilterForm, PortfolioFilterForm
from souk.support.models import MILESTONES, STAGE_DONE, Advisor, AssignmentReason, Milestone

COACH_PERMISSION = "accounts.coach_artisans"
INSIGHTS_PERMISSION = "accounts.view_insights"
PORTFOLIO_PAGE_SIZE = 100


def _account(request: HttpRequest) -> User:
    # Every view here is behind login_required.
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


@login_required
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """The artisan's advisor, their path with dates, and a way to ask for another advisor."""
    user = _account(request)
    progress = selectors.get_progress(user)
    if progress is None:
        raise Http404
    form = AnotherAdvisorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.reassign_artisan(
                artisan=user,
                reason=AssignmentReason.ARTISAN_ASKED,
                actor=user,
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Another advisor will follow you from now on."))
            return redirect("support:mine")
        status = 400
    steps = [(m, progress.reached_at(m.value)) for m in MILESTONES]
    return render(
        request,
        "support/mine.html",
        {
            "progress": progress,
            "advisor": selectors.get_current_advisor(user),
            "steps": steps,
            "form": form,
            "nudges_stopped_since": nudges.nudges_stopped_since(user.pk),
        },
        status=status,
    )


def _require_advisor(request: HttpRequest) -> Advisor:
    user = _account(request)
    if not user.has_perm(COACH_PERMISSION):
        raise PermissionDenied
    advisor = selectors.get_advisor(user)
    if advisor is None:
        raise Http404
    return advisor


@login_required
@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    """Every artisan the advisor follows, with stage and days since the last step."""
    advisor = _require_advisor(request)
    form = PortfolioFilterForm(request.GET or None)
    stuck = None
    stage = ""
    if form.is_valid():
        stuck = form.cleaned_data["stuck"]
        stage = form.cleaned_data["stage"]
        if stage and stage not in Milestone.values:
            stage = ""
    rows = selectors.list_portfolio(advisor=advisor, stuck_days=stuck, stage=stage)
    page = Paginator(rows, PORTFOLIO_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "support/portfolio.html",
        {
            "advisor": advisor,
            "form": form,
            "page": page,
            "stages": list(Milestone),
            "stage": stage,
            "query": query.urlencode(),
            "done": STAGE_DONE,
            # One reverse for the page, not one per row.
            "artisan_url": reverse("support:portfolio_artisan", args=[0]).removesuffix("0/"),
            "now": timezone.now(),
        },
        status=200 if not form.errors else 400,
    )


@login_required
@require_safe
def portfolio_artisan(request: HttpRequest, artisan_id: int) -> HttpResponse:
    """One artisan of the portfolio: the path with dates and who followed them. Another
    advisor's artisan is not found (404), whether or not they exist."""
    advisor = _require_advisor(request)
    try:
        progress = selectors.get_portfolio_artisan(advisor=advisor, artisan_id=artisan_id)
    except NotFollowed as error:
        raise Http404 from error
    return render(
        request,
        "support/portfolio_artisan.html",
        {
            "progress": progress,
            "steps": [(m, progress.reached_at(m.value)) for m in MILESTONES],
            "history": selectors.list_assignment_history(artisan_id),
            "coached": coach.advise_shop(progress.shop_id) if progress.shop_id else [],
        },
    )


@login_required
@require_safe
def funnel(request: HttpRequest) -> HttpResponse:
    """The programme's funnel: artisans per milestone, by region and sector; CSV on demand."""
    if not _account(request).has_perm(INSIGHTS_PERMISSION):
        raise PermissionDenied
    form = FunnelFilterForm(request.GET or None)
    region = sector = ""
    if form.is_valid():
        region = form.cleaned_data["region"]
        sector = form.cleaned_data["sector"]
    regions = {r.code: r.name for r in selectors.list_regions()}
    sectors = {s.code: s.name for s in selectors.list_sectors()}
    region = region if region in regions else ""
    sector = sector if sector in sectors else ""
    rows = selectors.list_funnel_rows(region_code=region, sector_code=sector)
    if request.GET.get("format") == "csv":
        return _funnel_csv(rows, regions, sectors)
    steps = selectors.get_funnel(region_code=region, sector_code=sector)
    return render(
        request,
        "support/funnel.html",
        {
            "steps": steps,
            "bars": _bars(steps),
            "rows": [
                (
                    regions.get(row.region, row.region),
                    sectors.get(row.sector, row.sector),
                    row.counts,
                )
                for row in rows
            ],
            "milestones": list(MILESTONES),
            "regions": regions,
            "sectors": sectors,
            "region": region,
            "sector": sector,
            "query": request.GET.urlencode(),
        },
    )


BAR_HEIGHT = 22
CHART_WIDTH = 600


def _bars(steps: list[selectors.FunnelStep]) -> dict[str, object]:
    """Where each bar of the SVG chart goes; mirrored for right-to-left languages."""
    rtl = get_language_bidi()
    bars = []
    for index, step in enumerate(steps):
        width = max(round(CHART_WIDTH * step.percent / 100), 1 if step.count else 0)
        x = CHART_WIDTH - width if rtl else 0
        bars.append({"step": step, "x": x, "y": index * (BAR_HEIGHT + 6), "width": width})
    return {
        "items": bars,
        "height": len(steps) * (BAR_HEIGHT + 6),
        "width": CHART_WIDTH,
        "bar_height": BAR_HEIGHT,
        "text_y": BAR_HEIGHT - 6,
        "label_x": CHART_WIDTH - 4 if rtl else 4,
        "anchor": "end" if rtl else "start",
    }


def _funnel_csv(
    rows: list[selectors.FunnelRow], regions: dict[str, str], sectors: dict[str, str]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="support-funnel.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["region_code", "region", "sector_code", "sector", *(m.value for m in MILESTONES)]
    )
    for row in rows:
        writer.writerow(
            [
                row.region,
                regions.get(row.region, ""),
                row.sector,
                sectors.get(row.sector, ""),
                *row.counts,
            ]
        )
    return response
