"""User content kept in one field per language, read in the visitor's language with a fallback."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language

# When a text is missing in the visitor's language, the next one in this order is shown.
FALLBACK_ORDER: dict[str, tuple[str, ...]] = {
    "ar": ("ar", "fr", "en", "es"),
    "fr": ("fr", "en", "es", "ar"),
    "en": ("en", "fr", "es", "ar"),
    "es": ("es", "fr", "en", "ar"),
}


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def pick_translation(obj: object, field: str, language: str | None = None) -> tuple[str, str]:
    """The first non-empty `<field>_<code>` of `obj` in fallback order, and the code it is in.

    Returns ("", "") when every language is empty.
    """
    current = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    for code in FALLBACK_ORDER.get(current, FALLBACK_ORDER[settings.LANGUAGE_CODE]):
        value = getattr(obj, f"{field}_{code}", "") or ""
        if value:
            return value, code
    return "", ""
