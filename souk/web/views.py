"""Pages that belong to no single business app: the home page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from souk.catalog import selectors as catalog
from souk.registry.models import Sector

NEW_WORKS_ON_HOME = 8


def home(request: HttpRequest) -> HttpResponse:
    """The newest works on sale, and the crafts to search by."""
    return render(
        request,
        "web/home.html",
        {
            "new_works": list(catalog.list_visible_products()[:NEW_WORKS_ON_HOME]),
            "sectors": list(Sector.objects.filter(trades__sells_goods=True).distinct()),
        },
    )
