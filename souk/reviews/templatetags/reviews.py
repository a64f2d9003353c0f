"""Template pieces of reviews for the pages of other apps: the rating line of a card, product or
shop (from their kept columns, no query), a product's reviews, a parcel's reviews."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.translation import get_language

from souk.accounts.models import User
from souk.orders.models import SubOrder
from souk.reviews import selectors, services
from souk.reviews.forms import STAR_CHOICES, AnswerForm

register = template.Library()

FULL, EMPTY = "\u2605", "\u2606"


def _average(count: int, stars: int) -> Decimal:
    if not count:
        return Decimal(0)
    return (Decimal(stars) / count).quantize(Decimal("0.1"), ROUND_HALF_UP)


@register.inclusion_tag("reviews/_rating.html")
def rating(count: int, stars: int, size: str = "") -> dict[str, Any]:
    """ "★★★★☆ 4.2 out of 5 · 12 reviews": the stars are drawn for the eye and hidden from
    screen readers; the words say the same, never the colour alone."""
    average = _average(count, stars)
    rounded = int(average.quantize(Decimal(1), ROUND_HALF_UP))
    return {
        "count": count,
        "average": average,
        "drawn": FULL * rounded + EMPTY * (5 - rounded),
        "size": size,
    }


@register.filter
def drawn_stars(stars: int) -> str:
    return FULL * stars + EMPTY * (5 - stars)


@register.filter
def language_name(code: str) -> str:
    return selectors.language_name(code)


@register.filter
def shown_name(user: User) -> str:
    return selectors.buyer_shown_name(user)


@register.inclusion_tag("reviews/_product_reviews.html", takes_context=True)
def product_reviews(context: template.Context, product: Any) -> dict[str, Any]:
    """A product's visible reviews, the reader's language first, each with "Report" (the
    report page asks to log in): the same for every reader, so the kept product page
    (souk/core/pagecache.py) may share it."""
    request = context.get("request")
    language = get_language() or "fr"
    return {
        "request": request,
        "product": product,
        "reviews": selectors.list_product_reviews(product_id=product.pk, language=language),
        "language": language,
    }


@register.inclusion_tag("reviews/_parcel_reviews.html", takes_context=True)
def parcel_reviews(context: template.Context, sub_order: SubOrder) -> dict[str, Any]:
    """On the buyer's order page: "Review this piece" for each line of a parcel that reached
    them, or their review with "Edit" while it may change."""
    request = context.get("request")
    user = getattr(request, "user", None)
    items = selectors.list_line_reviews(sub_order=sub_order, user=user) if user else []
    return {"items": items, "sub_order": sub_order, "received": services.is_received(sub_order)}


@register.inclusion_tag("reviews/_artisan_parcel_reviews.html", takes_context=True)
def artisan_parcel_reviews(context: template.Context, sub_order: SubOrder) -> dict[str, Any]:
    """On the artisan's parcel page: the buyer's reviews of its pieces, with "Answer"."""
    request = context.get("request")
    return {
        "request": request,
        "reviews": selectors.list_reviews_of_sub_order(sub_order=sub_order),
        "answer_form": AnswerForm(),
        "next": request.get_full_path() if request else "",
    }


@register.simple_tag
def star_choices() -> list[tuple[int, Any]]:
    return STAR_CHOICES
