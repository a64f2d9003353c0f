"""The search page: parse the GET parameters, call the selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from souk.search import selectors
from souk.search.forms import SearchForm

_KEPT = ("q", "sector", "trade", "region", "price_min", "price_max", "availability")


def _link(params: dict[str, str], **changes: str) -> str:
    """The query string of the page with `changes` (an empty value drops a parameter)."""
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.query()
    filters = form.filters()
    page = selectors.search_products(query=query, filters=filters, after=form.cursor_token())
    params = {key: request.GET.get(key, "") for key in _KEPT} if form.is_valid() else {}
    closest_sector = None
    if not page.total and query:
        closest_sector = selectors.get_closest_sector(query=query)
    sector_links = [
        (facet, _link(params, sector=facet.value), facet.value == filters.sector_code)
        for facet in page.sectors
    ]
    region_links = [
        (facet, _link(params, region=facet.value), facet.value == filters.region_code)
        for facet in page.regions
    ]
    price_links = []
    for facet in page.price_bands:
        low, _sep, high = facet.value.partition("-")
        price_links.append((facet, low, high, _link(params, price_min=low, price_max=high)))
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "sector_links": sector_links,
            "region_links": region_links,
            "price_links": price_links,
            "clear_link": _link({"q": query}),
            "next_link": _link(params, after=page.next_cursor) if page.next_cursor else "",
            "closest_sector": closest_sector,
            "closest_sector_link": _link({"q": "", "sector": closest_sector.pk})
            if closest_sector
            else "",
        },
    )
