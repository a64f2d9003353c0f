"""Helpers for tests that read pages."""

from __future__ import annotations

import re

_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def without_csrf_tokens(html: str) -> str:
    """The page without its CSRF tokens, which are new on every request: two answers to the
    same address can then be compared whole."""
    return _CSRF_TOKEN.sub("", html)
