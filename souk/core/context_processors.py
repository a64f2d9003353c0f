"""Template context shared by every page: language alternates and the display currency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import get_language, override


@dataclass(frozen=True, slots=True)
class LanguageAlternate:
    code: str
    name: str
    path: str
    absolute_url: str
    is_current: bool


def _translator(full_path: str) -> Callable[[str], str]:
    """translate_url(full_path, code) for each `code`, the path resolved once rather than once
    per language (4 resolutions were a third of this context processor's time)."""
    parsed = urlsplit(full_path)
    try:
        match = resolve(unquote(parsed.path))
    except Resolver404:
        return lambda code: full_path
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name

    def translated(code: str) -> str:
        with override(code):
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return full_path
        return urlunsplit((parsed.scheme, parsed.netloc, path, parsed.query, parsed.fragment))

    return translated


def language_alternates(request: HttpRequest) -> list[LanguageAlternate]:
    """The current page in each language, for the switcher and the hreflang links."""
    current = get_language()
    translate = _translator(request.get_full_path())
    alternates = []
    for code, name in settings.LANGUAGES:
        path = translate(code)
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
