"""Do the search and browse pages show the same thing after a change of the templates? Saves
50 pages of bench/search_uncached.py's URLs (searches of every kind and browse pages, in the
four languages, half of them in euros at a rate of the day) as HTML, or compares them with a
saved set. Only the CSRF token, which changes with every session, is left out.

    SOUK_SANDBOX=1 SOUK_VAR_DIR=DIR DATABASE_URL=... CACHE_URL=dummy:// DEBUG=0 \\
        .venv/bin/python bench/search_pages_same.py --save /tmp/pages-before
    (change the code)
    ... .venv/bin/python bench/search_pages_same.py --compare /tmp/pages-before

Writes a euro rate for today into the database when it has none (a scratch catalogue only).
Exits 1 when a page differs, with the first differing lines. Not part of `make test`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

import django  # noqa: E402

django.setup()

import pages_same  # noqa: E402  (the bench folder is not a package)
from uncached_queries import targets  # noqa: E402

PAGES = 50


def chosen_paths() -> list[str]:
    """40 searches spread over the kinds, then 10 browse pages."""
    found = targets()
    searches = [t for t in found if t.kind not in {"sector", "all works", "region"}]
    browse = [t for t in found if t.kind in {"sector", "all works", "region"}]
    step = max(1, len(searches) // 40)
    return [t.path for t in searches[::step][:40]] + [t.path for t in browse[:10]]


def pages() -> list[tuple[str, str]]:
    by_currency = pages_same.clients()
    shown = []
    for number, path in enumerate(chosen_paths()[:PAGES]):
        currency = "EUR" if number % 2 else "MAD"
        shown.append(pages_same.shown(by_currency[currency], currency, path))
    return shown


if __name__ == "__main__":
    pages_same.save_or_compare(pages())
