"""The search page and the browse pages (a sector, a trade, a region): parse the GET
parameters, call the one search selector with the page's fixed filter (listing.py), render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from souk.core.seo import build_page_meta
from souk.registry.models import Region, Sector, Trade
from souk.search.listing import listing_context


def _render_listing(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, context)


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    context = listing_context(request)
    query = context["query"]
    title = _("Search: %(query)s") % {"query": query} if query else _("All works")
    search_path = reverse("search:search")
    return _render_listing(
        request,
        "search/results.html",
        {
            **context,
            "meta": build_page_meta(
                request,
                title=title,
                description=_(
                    "Handmade works of Morocco's registered artisans: pottery, carpets, "
                    "leather, wood, metal, jewellery and more."
                ),
                canonical_path=f"{search_path}?{urlencode({'q': query})}" if query else None,
            ),
        },
    )


@require_GET
def sector(request: HttpRequest, sector_code: str) -> HttpResponse:
    """A craft sector's works; its trades are the facet, linked to their own pages."""
    try:
        shown = Sector.objects.get(pk=sector_code)
    except Sector.DoesNotExist as error:
        raise Http404 from error
    intro = _(
        "%(craft)s: pieces made and sold by Morocco's registered artisans, from the workshop "
        "to your door."
    ) % {"craft": shown.name}
    return _render_listing(
        request,
        "search/browse.html",
        {
            **listing_context(
                request,
                fixed={"sector_code": shown.pk},
                trade_link=lambda code: reverse("browse:trade", args=[shown.pk, code]),
            ),
            "heading": shown.name,
            "intro": intro,
            "breadcrumbs": [(_("Home"), reverse("web:home")), (shown.name, "")],
            "meta": build_page_meta(request, title=shown.name, description=intro),
        },
    )


@require_GET
def trade(request: HttpRequest, sector_code: str, trade_code: str) -> HttpResponse:
    """A trade's works, under its sector's address."""
    try:
        shown = Trade.objects.select_related("sector").get(pk=trade_code, sector_id=sector_code)
    except Trade.DoesNotExist as error:
        raise Http404 from error
    intro = _(
        "%(trade)s, a trade of %(craft)s: pieces made and sold by Morocco's registered artisans."
    ) % {"trade": shown.name, "craft": shown.sector.name}
    return _render_listing(
        request,
        "search/browse.html",
        {
            **listing_context(
                request, fixed={"sector_code": shown.sector_id, "trade_code": shown.pk}
            ),
            "heading": shown.name,
            "intro": intro,
            "breadcrumbs": [
                (_("Home"), reverse("web:home")),
                (shown.sector.name, reverse("browse:sector", args=[shown.sector_id])),
                (shown.name, ""),
            ],
            "meta": build_page_meta(
                request, title=f"{shown.name} · {shown.sector.name}", description=intro
            ),
        },
    )


@require_GET
def region(request: HttpRequest, region_code: str) -> HttpResponse:
    """The works made in one of Morocco's twelve regions."""
    try:
        shown = Region.objects.get(pk=region_code)
    except Region.DoesNotExist as error:
        raise Http404 from error
    heading = _("Craft from %(region)s") % {"region": shown.name}
    intro = _(
        "Works made in %(region)s by the region's registered artisans, sold from their workshops."
    ) % {"region": shown.name}
    return _render_listing(
        request,
        "search/browse.html",
        {
            **listing_context(request, fixed={"region_code": shown.pk}),
            "heading": heading,
            "intro": intro,
            "breadcrumbs": [(_("Home"), reverse("web:home")), (shown.name, "")],
            "meta": build_page_meta(request, title=heading, description=intro),
        },
    )
