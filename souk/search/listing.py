"""One page of a product listing as the search, browse and shop pages show it: the GET
parameters parsed, the one search selector called with the page's fixed filters, its facets,
orders and next page as links, rendered. Used by souk.search.views and souk.shops.views.

The rendered listing is kept in the cache (QUERY_CACHE_SECONDS) under the page's address, its
search parameters, the language and the search index version (souk.search.query_cache): the
next visitor of the same page is served without a search, a product query or the templates of
24 cards, and any change of a listing (queued for indexing: a new version) stops its use. It
holds nothing of the visitor: no session, currency or CSRF token (its form is a GET form, its
prices in MAD).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from souk.catalog import materials as vocabulary
from souk.search import query_cache, selectors
from souk.search.forms import MAX_QUERY_LENGTH, SearchForm, sort_choices

_KEPT = (
    "q",
    "sector",
    "trade",
    "region",
    "price_min",
    "price_max",
    "availability",
    "material",
    "ships_to",
    "sort",
    "spell",
)
# Which GET parameter each fixed filter of a browse page replaces.
_PARAMETER_OF_FILTER = {"sector_code": "sector", "trade_code": "trade", "region_code": "region"}


def _link(params: dict[str, str], **changes: str) -> str:
    """The query string of the page with `changes` (an empty value drops a parameter)."""
    merged = {**params, **changes}
    return "?" + urlencode({key: value for key, value in merged.items() if value})


class _Links:
    """`_link` for one page's parameters, each of them encoded once: a page has some 70
    links (its facets), which differ from the page's own query string by one parameter."""

    def __init__(self, params: dict[str, str]) -> None:
        self._pieces = {
            key: urlencode({key: value}) if value else "" for key, value in params.items()
        }

    def __call__(self, **changes: str) -> str:
        pieces = self._pieces.copy()
        for key, value in changes.items():
            pieces[key] = urlencode({key: value}) if value else ""
        return "?" + "&".join(piece for piece in pieces.values() if piece)


def listing_context(
    request: HttpRequest,
    *,
    fixed: dict[str, Any] | None = None,
    trade_link: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """What a page showing a listing needs: `listing`, `search/_listing.html` rendered for
    the GET parameters with the `fixed` filters (SearchFilters fields) of the page imposed;
    the search words (`query`) and how many works match (`total`). A parameter that cannot be
    read (a price too, its message beside its field) is dropped and named in a notice.

    `trade_link(code)` gives the address of a trade's facet link (a trade page) instead of a
    `?trade=` filter of this page. Both are fixed by the page's address, part of the key."""
    parameters = [(name, request.GET.getlist(name)) for name in SearchForm.base_fields]
    # The cards lead with the visitor's currency at the day's rate: both are part of the key.
    currency = str(getattr(request, "currency", "MAD"))
    key = "search:listing:" + query_cache.digest(
        get_language(),
        request.path,
        parameters,
        query_cache.current_index_version(),
        currency,
        timezone.localdate().isoformat(),
    )
    kept: dict[str, Any] | None = cache.get(key)
    if kept is None:
        context = _listing(request, SearchForm(request.GET), fixed or {}, trade_link)
        html = render_to_string("search/_listing.html", {**context, "currency": currency})
        kept = {
            # Compressed: 20-37 KB of HTML (24 cards, the facets, every country of the
            # ships-to filter) kept in 5-9 KB, so the per-process cache's 20,000 entries stay
            # within memory a worker can spare.
            "listing": zlib.compress(html.encode(), 1),
            "query": context["query"],
            "total": context["page"].total,
        }
        # A search that ran out of time is not what the page holds: searched again next time.
        if not context["page"].timed_out:
            cache.set(key, kept, query_cache.QUERY_CACHE_SECONDS)
    # Our template's output, escaped when it was rendered.
    listing = mark_safe(zlib.decompress(kept["listing"]).decode())  # noqa: S308
    return {**kept, "listing": listing}


def _listing(
    request: HttpRequest,
    form: SearchForm,
    fixed: dict[str, Any],
    trade_link: Callable[[str], str] | None,
) -> dict[str, Any]:
    """The context of `search/_listing.html` (see listing_context): the page of works, its
    facets as links (a fixed dimension has none), the filter form, the orders, the next page's
    link, and when nothing matches the words the craft sector closest to them."""
    query = form.query()
    filters = replace(form.filters(), **fixed)
    page = selectors.search_products(
        query=query,
        filters=filters,
        after=form.cursor_token(),
        sort=form.chosen_sort(),
        correct=form.corrects_spelling(),
    )
    unread = form.dropped()
    dropped = {_PARAMETER_OF_FILTER[name] for name in fixed if name in _PARAMETER_OF_FILTER}
    # The links keep what could be read: an unreadable parameter is not carried further.
    params = {
        key: query if key == "q" else request.GET.get(key, "")
        for key in _KEPT
        if key not in dropped and key not in unread
    }
    link = _Links(params)

    def facet_links(
        facets: list[selectors.NamedFacet], parameter: str, current: str
    ) -> list[tuple[selectors.NamedFacet, str, bool]]:
        if parameter in dropped:
            return []
        return [
            (facet, link(**{parameter: facet.value}), facet.value == current) for facet in facets
        ]

    trade_links = facet_links(page.trades, "trade", filters.trade_code)
    if trade_link is not None:
        trade_links = [
            (facet, trade_link(facet.value), is_current)
            for facet, _query, is_current in trade_links
        ]
    price_links = []
    for facet in page.price_bands:
        low, _sep, high = facet.value.partition("-")
        price_links.append((facet, low, high, link(price_min=low, price_max=high)))
    closest_sector = selectors.get_suggested_sector(page=page) if query and not page.total else None
    notices = []
    if form.was_cut:
        notices.append(
            ngettext(
                "Your search was cut to its first %(count)d character.",
                "Your search was cut to its first %(count)d characters.",
                MAX_QUERY_LENGTH,
            )
            % {"count": MAX_QUERY_LENGTH}
        )
    if page.timed_out:
        notices.append(
            _(
                "This search took too long: here are the newest works matching it, without "
                "counts. Add a word or a filter to narrow it."
            )
        )
    if unread:
        notices.append(
            _("These parameters could not be read and were ignored: %(names)s.")
            % {"names": ", ".join(unread)}
        )
    return {
        "form": form,
        "query": query,
        "page": page,
        "notices": notices,
        "original_link": _link({**params, "spell": "0"}) if page.corrected else "",
        "closest_sector": closest_sector,
        "closest_sector_link": (
            reverse("browse:sector", args=[closest_sector.pk]) if closest_sector else ""
        ),
        "hidden_filters": [
            (name, params[name]) for name in ("q", "sector", "trade", "region") if params.get(name)
        ],
        "sort_choices": sort_choices(query),
        "sector_links": facet_links(page.sectors, "sector", filters.sector_code),
        "trade_links": trade_links,
        "region_links": facet_links(page.regions, "region", filters.region_code),
        "price_links": price_links,
        "material_links": facet_links(
            page.materials, "material", vocabulary.find_code(params.get("material", "")) or ""
        ),
        "clear_link": _link({"q": query}),
        "next_link": link(after=page.next_cursor) if page.next_cursor else "",
    }
