"""A gallery photo as a responsive <img srcset> (its renditions), whichever app holds it."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from souk.core.gallery.models import GalleryPhoto, photo_src, photo_srcset

register = template.Library()

# Phones show a photo across the screen; from 48rem the page gives it about half.
DEFAULT_SIZES = "(min-width: 48rem) 50vw, 100vw"


@register.simple_tag
def gallery_photo(
    photo: GalleryPhoto,
    sizes: str = DEFAULT_SIZES,
    *,
    eager: bool = False,
    until_ready: str = "placeholder",
) -> SafeString:
    """The photo's renditions in an <img srcset>; until they exist, a placeholder box, or the
    stored photo itself when `until_ready` is "original".

    `eager` is for the page's main photo: loaded at once, not when scrolled to."""
    loading = "eager" if eager else "lazy"
    if not photo.is_ready or not photo.renditions:
        if until_ready == "original":
            return format_html(
                '<img src="{}" width="{}" height="{}" loading="{}" decoding="async" alt="{}">',
                photo.image.url,
                photo.width,
                photo.height,
                loading,
                photo.alt_text,
            )
        # An image needs a name for screen readers (axe's role-img-alt): the description, or
        # what the box says when the photo has none.
        return format_html(
            '<div class="photo-placeholder" role="img" aria-label="{}"><span>{}</span></div>',
            photo.alt_text or _("Photo being prepared"),
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
        loading,
        photo.alt_text,
    )
