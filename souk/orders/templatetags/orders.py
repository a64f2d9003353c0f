"""Template helpers of the orders pages: the header's cart count, status labels."""

from __future__ import annotations

import functools

from django import template
from django.forms import BoundField
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from souk.accounts.models import User
from souk.core import visitor_state
from souk.core.addresses import country_choices
from souk.core.money import Money, format_money_for_language
from souk.orders import documents, selectors
from souk.orders.models import Order, OrderLine, OrderStatus, SubOrderStatus
from souk.orders.receivers import CART_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context) -> int:
    """How many pieces the visitor's cart holds (0 without a cart)."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return 0
    user = request.user if isinstance(request.user, User) else None
    state = visitor_state.read(request) if user is not None else None
    if state is not None and "orders.cart_items" in state:
        # Read with the visitor's other answers, in one query (core/visitor_state.py).
        return int(state["orders.cart_items"] or 0)
    return selectors.count_cart_items(request.session.get(CART_SESSION_KEY), user)


def _options(choices: tuple[tuple[str, str], ...], chosen: object) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, " selected" if code == chosen else "", name) for code, name in choices),
    )


@functools.lru_cache(maxsize=4 * 64)
def _every_country_options(language: str, chosen: str | None) -> SafeString:
    return _options(tuple(country_choices()), chosen)


@register.filter
def country_options(field: BoundField) -> SafeString:
    """The <option>s of an address form's country menu, its value selected: the 244
    countries of the language are rendered once per process and chosen country, not by a
    template loop on every checkout page (the same text)."""
    choices = tuple(field.field.choices)  # type: ignore[attr-defined]  # a ChoiceField
    chosen = field.value()
    if isinstance(chosen, str | None) and list(choices) == country_choices():
        return _every_country_options(get_language() or "", chosen)
    return _options(choices, chosen)


@register.filter
def in_currency(amount: int, currency: str) -> str:
    """An amount in minor units of `currency`, formatted for the page's language."""
    return format_money_for_language(Money(amount, currency), get_language() or "fr")


@register.filter
def address_lines(order: Order) -> list[str]:
    """The delivery address as the destination country writes it, country name included."""
    return documents.shipping_address(order).lines()


@register.filter
def status_label(value: str) -> str:
    for statuses in (SubOrderStatus, OrderStatus):
        if value in statuses.values:
            return str(statuses(value).label)
    return value


@register.filter
def title_in(line: OrderLine, language: str) -> str:
    """An order line's title in `language` (the artisan's pages: OrderLine.title_in)."""
    return line.title_in(language)


@register.filter
def variant_label_in(line: OrderLine, language: str) -> str:
    return line.variant_label_in(language)
