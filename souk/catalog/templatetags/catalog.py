"""Template helpers of the catalog: a product photo as a responsive <img>, a price, a weight
and a size in the page's units."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from souk.catalog import units
from souk.catalog.models import Product, ProductPhoto, photo_src, photo_srcset
from souk.core.money import Money, format_money_for_language

register = template.Library()

# Phones show a photo across the screen; from 48rem the page gives it about half.
DEFAULT_SIZES = "(min-width: 48rem) 50vw, 100vw"


@register.simple_tag
def product_photo(
    photo: ProductPhoto, sizes: str = DEFAULT_SIZES, *, eager: bool = False
) -> SafeString:
    """The photo's renditions in an <img srcset>, or a placeholder box until they exist.

    `eager` is for the page's main photo: loaded at once, not when scrolled to."""
    if not photo.is_ready or not photo.renditions:
        return format_html(
            '<div class="photo-placeholder" role="img" aria-label="{}"><span>{}</span></div>',
            photo.alt_text,
            _("Photo being prepared"),
        )
    src, width, height = photo_src(photo)
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" loading="{}" '
        'decoding="async" alt="{}">',
        src,
        photo_srcset(photo),
        sizes,
        width,
        height,
        "eager" if eager else "lazy",
        photo.alt_text,
    )


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
