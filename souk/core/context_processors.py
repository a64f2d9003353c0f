"""Template context shared by every page: language alternates and the display currency."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


@dataclass(frozen=True, slots=True)
class LanguageAlternate:
    code: str
    name: str
    path: str
    absolute_url: str
    is_current: bool


def language_alternates(request: HttpRequest) -> list[LanguageAlternate]:
    """The current page in each language, for the switcher and the hreflang links."""
    current = get_language()
    full_path = request.get_full_path()
    alternates = []
    for code, name in settings.LANGUAGES:
        path = translate_url(full_path, code)
        alternates.append(
            LanguageAlternate(
                code=code,
                name=name,
                path=path,
                absolute_url=request.build_absolute_uri(path),
                is_current=code == current,
            )
        )
    return alternates


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "language_alternates": language_alternates(request),
        "currency": getattr(request, "currency", settings.SOUK_DEFAULT_CURRENCY),
        "currencies": settings.SOUK_CURRENCIES,
    }
