"""`{% load delegation %}`: ask the delegation rule (core/delegation.py) from a template, so a
button that would be refused while an advisor acts for an artisan is not shown."""

from __future__ import annotations

from django import template

from souk.core import delegation

register = template.Library()


@register.filter
def may_open(page: str) -> bool:
    """`{% if "orders:artisan_accept"|may_open %}`: the page may be used in this request."""
    return delegation.may_open(str(page))
