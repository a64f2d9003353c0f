"""What bench/search_pages_same.py and bench/product_pages_same.py share: a test client per
currency, a euro rate for today, the pages without their CSRF token, and saving or comparing a
set of pages (`--save DIR` / `--compare DIR`). Imported once Django is set up."""

from __future__ import annotations

import argparse
import difflib
import re
from decimal import Decimal
from pathlib import Path

from django.test import Client
from django.utils import timezone

from souk.core.middleware import SESSION_CURRENCY_KEY
from souk.core.models import ExchangeRate

_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def clients() -> dict[str, Client]:
    """A client reading dirhams (no session) and one reading euros (a session), with a euro
    rate for today written when the database has none (a scratch catalogue only)."""
    ExchangeRate.objects.get_or_create(
        date=timezone.localdate(), currency="EUR", defaults={"mad_per_unit": Decimal("10.85")}
    )
    euro = Client(HTTP_HOST="127.0.0.1")
    session = euro.session
    session[SESSION_CURRENCY_KEY] = "EUR"
    session.save()
    return {"MAD": Client(HTTP_HOST="127.0.0.1"), "EUR": euro}


def shown(client: Client, currency: str, path: str) -> tuple[str, str]:
    """A page's name and HTML without its CSRF token; a page that is not 200 stops the run."""
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path}: {response.status_code}")
    return f"{currency} {path}", _CSRF.sub(r"\1\2", response.content.decode())


def save_or_compare(pages: list[tuple[str, str]]) -> None:
    """`--save DIR` writes the pages; `--compare DIR` exits 1 when one differs from the saved
    set, printing the first differing lines."""
    parser = argparse.ArgumentParser()
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    options = parser.parse_args()
    if options.save:
        options.save.mkdir(parents=True, exist_ok=True)
        for number, (name, html) in enumerate(pages):
            (options.save / f"{number:03}.html").write_text(f"{name}\n{html}", encoding="utf-8")
        print(f"{len(pages)} pages saved in {options.save}")
        return
    differing = 0
    for number, (name, html) in enumerate(pages):
        saved = (options.compare / f"{number:03}.html").read_text(encoding="utf-8")
        if saved != f"{name}\n{html}":
            differing += 1
            print(f"DIFFERS: {name}")
            diff = difflib.unified_diff(
                saved.splitlines(), f"{name}\n{html}".splitlines(), lineterm="", n=0
            )
            print("\n".join(list(diff)[:12]))
    print(f"{len(pages) - differing} of {len(pages)} pages identical")
    if differing:
        raise SystemExit(1)
