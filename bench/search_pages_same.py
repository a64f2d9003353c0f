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

import argparse
import difflib
import os
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from uncached_queries import targets  # noqa: E402

from souk.core.middleware import SESSION_CURRENCY_KEY  # noqa: E402
from souk.core.models import ExchangeRate  # noqa: E402

PAGES = 50
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def chosen_paths() -> list[str]:
    """40 searches spread over the kinds, then 10 browse pages."""
    found = targets()
    searches = [t for t in found if t.kind not in {"sector", "all works", "region"}]
    browse = [t for t in found if t.kind in {"sector", "all works", "region"}]
    step = max(1, len(searches) // 40)
    return [t.path for t in searches[::step][:40]] + [t.path for t in browse[:10]]


def client_for(currency: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    if currency != "MAD":
        session = client.session
        session[SESSION_CURRENCY_KEY] = currency
        session.save()
    return client


def pages() -> list[tuple[str, str]]:
    ExchangeRate.objects.get_or_create(
        date=timezone.localdate(), currency="EUR", defaults={"mad_per_unit": Decimal("10.85")}
    )
    clients = {"MAD": client_for("MAD"), "EUR": client_for("EUR")}
    shown = []
    for number, path in enumerate(chosen_paths()[:PAGES]):
        currency = "EUR" if number % 2 else "MAD"
        response = clients[currency].get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        shown.append((f"{currency} {path}", _CSRF.sub(r"\1\2", response.content.decode())))
    return shown


def main() -> None:
    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    options = parser.parse_args()
    shown = pages()
    if options.save:
        options.save.mkdir(parents=True, exist_ok=True)
        for number, (name, html) in enumerate(shown):
            (options.save / f"{number:03}.html").write_text(f"{name}\n{html}", encoding="utf-8")
        print(f"{len(shown)} pages saved in {options.save}")
        return
    differing = 0
    for number, (name, html) in enumerate(shown):
        saved = (options.compare / f"{number:03}.html").read_text(encoding="utf-8")
        if saved != f"{name}\n{html}":
            differing += 1
            print(f"DIFFERS: {name}")
            diff = difflib.unified_diff(
                saved.splitlines(), f"{name}\n{html}".splitlines(), lineterm="", n=0
            )
            print("\n".join(list(diff)[:12]))
    print(f"{len(shown) - differing} of {len(shown)} pages identical")
    if differing:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
