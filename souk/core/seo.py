"""What a public page tells search engines and link previews: its title, description,
canonical address and OpenGraph tags (rendered by base.html from a PageMeta in `meta`).

The language alternates (hreflang) come from core.context_processors for every page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import get_language

# OpenGraph locales of the page languages (language_TERRITORY, as link previews know them).
OG_LOCALES = {"ar": "ar_AR", "fr": "fr_FR", "en": "en_US", "es": "es_ES"}
DESCRIPTION_LENGTH = 155


@dataclass(frozen=True, slots=True)
class PageMeta:
    title: str
    description: str
    # Absolute addresses.
    url: str
    image: str
    # "website", "product" or "profile".
    type: str
    locale: str
    alternate_locales: tuple[str, ...]


def build_page_meta(
    request: HttpRequest,
    *,
    title: str,
    description: str,
    og_type: str = "website",
    image_path: str = "",
    canonical_path: str | None = None,
) -> PageMeta:
    """The meta of the page being answered: its address without the query string unless
    `canonical_path` says otherwise; `image_path` (a photo's URL) made absolute."""
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    locale = OG_LOCALES.get(language, OG_LOCALES[settings.LANGUAGE_CODE])
    return PageMeta(
        title=title,
        description=Truncator(" ".join(description.split())).chars(DESCRIPTION_LENGTH),
        url=request.build_absolute_uri(canonical_path or request.path),
        image=request.build_absolute_uri(image_path) if image_path else "",
        type=og_type,
        locale=locale,
        alternate_locales=tuple(code for code in OG_LOCALES.values() if code != locale),
    )
