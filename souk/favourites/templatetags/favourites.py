"""Template helpers of favourites: the header's count."""

from __future__ import annotations

from django import template
from django.http import HttpRequest

from souk.favourites import live

register = template.Library()


@register.simple_tag(takes_context=True)
def favourites_count(context: template.Context) -> int:
    """How many pieces and shops the visitor saved (live.header_count)."""
    request: HttpRequest | None = context.get("request")
    return live.header_count(request) if request is not None else 0
