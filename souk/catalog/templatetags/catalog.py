"""Template helpers of the catalog: a product photo as a responsive <img>, a price, a weight
and a size in the page's units."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from souk.catalog import units
from souk.catalog.models import Product, ProductPhoto
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


@register.filter
def money(value: Money) -> str:
    return format_money_for_language(value, get_language() or "fr")


@register.filter
def mad(amount: int) -> str:
    """An amount in MAD centimes, formatted for the page's language."""
    return format_money_for_language(Money(amount, "MAD"), get_language() or "fr")


@register.filter
def weight(grams: int) -> str:
    """`450 g` or `1.5 kg`, in the page's language (`450 غ`, `1,5 كغ`)."""
    return units.weight_text(grams)


@register.filter
def size(product: Product) -> str:
    """Length, width and height in cm, in the page's language (`سم` in Arabic)."""
    return units.size_text(product.length_mm, product.width_mm, product.height_mm)
