"""Pages that belong to no single business app: the home page, robots.txt."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from souk.catalog import selectors as catalog
from souk.core.seo import build_page_meta
from souk.registry.models import Sector

NEW_WORKS_ON_HOME = 8


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The crafts to browse, featured artisans and the newest works on sale."""
    return render(
        request,
        "web/home.html",
        {
            "new_works": list(catalog.list_cards()[:NEW_WORKS_ON_HOME]),
            "sectors": list(Sector.objects.order_by("code")),
            "featured_shops": catalog.list_featured_shops(),
            "meta": build_page_meta(
                request,
                title=str(_("Souk")),
                description=_(
                    "Buy pottery, carpets, leather, wood, metal and jewellery directly from "
                    "Morocco's registered artisans."
                ),
            ),
        },
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Everything public may be crawled; the sitemap index lists it."""
    lines = [
        "User-agent: *",
        "Disallow: /*/account/",
        "Disallow: /*/admin/",
        "Disallow: /*/cart/",
        "Disallow: /*/checkout/",
        "Disallow: /*/orders/",
        "Disallow: /*/notifications/",
        "Disallow: /*/products/moderation/",
        "Disallow: /*/shops/moderation/",
        "Disallow: /*/products/manage/",
        "Disallow: /*/shops/manage/",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap_index'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
