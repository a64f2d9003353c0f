"""The delivery line of a product page (shipping/_delivery_line.html): its context, read per
visitor, so that a page kept in the cache can render it as a live fragment.

`delivery_context(request, product)` is the one function; `{% delivery_for product as d %}`
calls it from the template. The product page places the line as a live part
(`{% live "shipping/_delivery_line.html" product=product.pk %}`); for a visitor without a session
the filled page is shared, so the country guessed from the request and the day are parts of the
kept page's key (`page_key_part`, registered in ShippingConfig.ready)."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from souk.accounts.models import User
from souk.catalog.models import Product
from souk.core import visitor_state
from souk.core.addresses import country_choices, country_name
from souk.orders import selectors as orders
from souk.shipping import delivery

register = template.Library()


def visitor_country(request: HttpRequest) -> str:
    """The country the visitor chose on a product page (session), else the one of their saved
    address when signed in, else the guess from the language (shipping.delivery.guess_country)."""
    chosen = request.session.get(delivery.SESSION_KEY, "") if hasattr(request, "session") else ""
    if chosen and delivery.is_country(chosen):
        return str(chosen)
    user = getattr(request, "user", None)
    state = visitor_state.read(request) if isinstance(user, User) else None
    if state is not None and "orders.saved_country" in state:
        # Read with the visitor's other answers, in one query (core/visitor_state.py).
        if state["orders.saved_country"] and delivery.is_country(state["orders.saved_country"]):
            return str(state["orders.saved_country"])
    elif isinstance(user, User):
        saved = orders.get_saved_address(user)
        if saved is not None and delivery.is_country(saved.country):
            return saved.country
    return delivery.guess_country(
        language=get_language() or "fr",
        accept_language=request.headers.get("Accept-Language", ""),
    )


def page_key_part(request: HttpRequest) -> str:
    """What the delivery line of a visitor without a session depends on, besides the page's
    language: the country guessed from the browser's language, and the day (the dates)."""
    country = delivery.guess_country(
        language=get_language() or "fr",
        accept_language=request.headers.get("Accept-Language", ""),
    )
    return f"{country}:{timezone.localdate().isoformat()}"


def live_key(request: HttpRequest, arguments: dict[str, Any], page_key: str) -> str | None:
    """The delivery line is the same for every visitor of a kept page (its key: the listing's
    facts, the path) delivered to the same country on the same day (pagecache.LIVE_KEYS)."""
    if not page_key:
        return None
    return f"{page_key}:{visitor_country(request)}:{timezone.localdate().isoformat()}"


@functools.lru_cache(maxsize=4 * 64)
def _country_options(language: str, chosen: str) -> SafeString:
    """The <option>s of the country menu in `language`, `chosen` selected: 244 countries, the
    same for every page in that language, rendered once per process rather than by a template
    loop on every request (docs/decisions.md, 2026-12-07)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, " selected" if code == chosen else "", name) for code, name in country_choices()),
    )


def prepare_language(language: str) -> None:
    """The country menu of `language` with its usual country chosen, made at start-up
    (souk.core.warmup): what most first visitors in that language are shown."""
    _country_options(language, delivery.guess_country(language=language))


def delivery_context(
    request: HttpRequest, product: Product | delivery.DeliveryListing
) -> dict[str, Any]:
    """What the delivery line shows: the estimate to the visitor's country, its name, the
    country menu (its options as HTML), and the return window."""
    country = visitor_country(request)
    return {
        "estimate": delivery.cached_estimate(
            product=product, country=country, today=timezone.localdate()
        ),
        "country": country,
        "country_name": country_name(country),
        "country_options": _country_options(get_language() or "fr", country),
        "return_days": settings.SOUK_RETURN_WINDOW_DAYS,
    }


@register.simple_tag(takes_context=True)
def delivery_for(
    context: template.Context, product: Product | delivery.DeliveryListing | int
) -> dict[str, Any]:
    """The delivery line's context. The product page gives it a DeliveryListing (the argument
    of a live part of a kept page, souk.core.pagecache), so no listing is read; a listing's id
    is read."""
    if isinstance(product, int):
        product = Product.objects.get(pk=product)
    return delivery_context(context["request"], product)
