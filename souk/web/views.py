"""Pages that belong to no single business app: the home page, robots.txt, and the pages a
merchant must have (terms of sale, privacy, returns and refunds, shipping and customs, contact
and help; see docs/legal.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from souk.catalog import selectors as catalog
from souk.core.seo import build_page_meta
from souk.orders.services.lifecycle import MAX_RETURN_PHOTOS
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


# The pages a merchant must have, by the address's last word: their title and the people they
# answer. Each page's text is a template per language (web/legal/<page>_<language>.html), as a
# lawyer reviews a whole page, not sentences; the figures in it come from the settings the code
# runs on, so the page cannot promise another return window than the one enforced.
LEGAL_PAGES = {
    "terms": gettext_lazy("Terms of sale"),
    "privacy": gettext_lazy("Privacy and personal data"),
    "returns": gettext_lazy("Returns and refunds"),
    "shipping": gettext_lazy("Shipping and customs"),
    "contact": gettext_lazy("Contact and help"),
}
LEGAL_LANGUAGES = ("ar", "fr", "en", "es")


def legal_figures() -> dict[str, object]:
    """The rules the pages state, read from what the code enforces."""
    return {
        "return_days": settings.SOUK_RETURN_WINDOW_DAYS,
        "return_photos": MAX_RETURN_PHOTOS,
        "accept_hours": settings.SOUK_ACCEPT_WITHIN_HOURS,
        "auto_complete_days": settings.SOUK_AUTO_COMPLETE_DAYS,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 3600),
        "contact_email": settings.SOUK_CONTACT_EMAIL,
        "operator": settings.SOUK_OPERATOR,
    }


@require_safe
def legal(request: HttpRequest, page: str) -> HttpResponse:
    """One of the pages a merchant must have, in the page's language."""
    if page not in LEGAL_PAGES:
        raise Http404
    language = get_language() or "fr"
    if language not in LEGAL_LANGUAGES:
        language = "en"
    title = str(LEGAL_PAGES[page])
    return render(
        request,
        "web/legal.html",
        {
            "page": page,
            "title": title,
            "body": f"web/legal/{page}_{language}.html",
            "pages": LEGAL_PAGES.items(),
            "meta": build_page_meta(request, title=title, description=title),
        }
        | legal_figures(),
    )
