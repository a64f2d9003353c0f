"""Template helpers of the catalog: a product photo as a responsive <img>, a price, a weight
and a size in the page's units."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from souk.catalog import units
from souk.catalog.models import Product, ProductPhoto
from souk.core import fx
from souk.core.models import ExchangeRate
from souk.core.money import Money, format_money_for_language
from souk.core.templatetags import gallery

register = template.Library()


@register.simple_tag
def product_photo(
    photo: ProductPhoto, sizes: str = gallery.DEFAULT_SIZES, *, eager: bool = False
) -> SafeString:
    """The photo's renditions in an <img srcset>, or a placeholder box until they exist
    (the gallery's own tag, souk.core.templatetags.gallery).

    `eager` is for the page's main photo: loaded at once, not when scrolled to."""
    return gallery.gallery_photo(photo, sizes, eager=eager)


def _rendering_memo(context: template.Context, name: str) -> dict[Any, Any]:
    """A dict kept for one rendering of a page, whatever it includes: the first dict of the
    render context is the rendering's own (each included template, each card, pushes one of
    its own above it). For what 24 cards would otherwise work out 24 times."""
    own: dict[Any, Any] = context.render_context.dicts[0]
    memo: dict[Any, Any] = own.setdefault(name, {})
    return memo


@register.simple_tag(takes_context=True)
def product_url(context: template.Context, product: Product) -> str:
    """`{% url 'catalog:detail' product.pk product.slug %}`, its prefix reversed once per
    rendering: the address ends with the product's id and slug (ASCII letters, digits and
    hyphens, as slugify makes them, so nothing to quote)."""
    memo = _rendering_memo(context, "souk_product_url")
    language = get_language()
    if language not in memo:
        sample = reverse("catalog:detail", args=[1, "x"])
        # None if the address were ever shaped otherwise: reversed for each card then.
        memo[language] = sample.removesuffix("1-x/") if sample.endswith("/1-x/") else None
    prefix: str | None = memo[language]
    if prefix is None:
        return reverse("catalog:detail", args=[product.pk, product.slug])
    return f"{prefix}{product.pk}-{product.slug}/"


@register.simple_tag
def card_photo(product: Product, sizes: str) -> SafeString | str:
    """The cover of a product card (its first photo, prefetched), or nothing."""
    for photo in product.photos.all():
        return product_photo(photo, sizes)
    return ""


@register.filter
def money(value: Money) -> str:
    return format_money_for_language(value, get_language() or "fr")


@register.filter
def mad(amount: int) -> str:
    """An amount in MAD centimes, formatted for the page's language."""
    return format_money_for_language(Money(amount, "MAD"), get_language() or "fr")


def _rate_for(context: template.Context, currency: str) -> ExchangeRate | None:
    """The day's rate of `currency`, read once per rendering (a page of 24 cards converts 24
    prices), whether or not a request is at hand: the search listing is rendered without one
    (souk/search/listing.py)."""
    rates: dict[str, ExchangeRate | None] = _rendering_memo(context, "souk_shown_rates")
    if currency not in rates:
        try:
            rates[currency] = fx.get_rate(currency=currency)
        except fx.RateUnavailable:
            rates[currency] = None
    return rates[currency]


@register.simple_tag(takes_context=True)
def shown_price(context: template.Context, amount: int, *, starting: bool = False) -> SafeString:
    """A price in MAD centimes as the visitor reads it: in their chosen currency first, as an
    estimate ("≈ $45.00"), then the MAD price charged and the date of the reference rate; in
    MAD alone when they chose MAD or there is no rate. `starting`: "from" the price (variants).

    The currency is the page's (`request.currency`, or `currency` in a template rendered
    without a request, as the cached search listing is)."""
    language = get_language() or "fr"
    request = context.get("request")
    currency = str(context.get("currency") or getattr(request, "currency", "") or "MAD")
    price = Money(amount, "MAD")
    charged = format_money_for_language(price, language)
    rate = _rate_for(context, currency) if currency != "MAD" else None
    if rate is None:
        shown = gettext("from %(price)s") % {"price": charged} if starting else charged
        return format_html('<span class="price__amount">{}</span>', shown)
    estimate = format_money_for_language(fx.convert_at_rate(price, rate=rate).amount, language)
    lead = gettext("from %(price)s") % {"price": f"≈ {estimate}"} if starting else f"≈ {estimate}"
    dates = _rendering_memo(context, "souk_rate_dates")
    if (language, rate.date) not in dates:
        dates[language, rate.date] = formats.date_format(rate.date, "j M Y")
    return format_html(
        '<span class="price__amount">{}</span> <span class="price__charged">{}</span>',
        lead,
        gettext("%(price)s charged, rate of %(date)s")
        % {"price": charged, "date": dates[language, rate.date]},
    )


@register.filter
def weight(grams: int) -> str:
    """`450 g` or `1.5 kg`, in the page's language (`450 غ`, `1,5 كغ`)."""
    return units.weight_text(grams)


@register.filter
def size(product: Product) -> str:
    """Length, width and height in cm, in the page's language (`سم` in Arabic)."""
    return units.size_text(product.length_mm, product.width_mm, product.height_mm)
