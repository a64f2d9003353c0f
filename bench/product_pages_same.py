"""Does the product page show the same thing after a change of its code? Saves 48 product
pages, each rendered for the first time (nothing kept: run it with CACHE_URL=dummy://), as HTML,
or compares them with a saved set: 12 listings (some with variants, some made to order, some
with reviews, photos or a named maker when the catalogue has them: `seed_demo` adds such),
each in the four languages, half in dirhams for a visitor without a session and half in euros
for one with a session. Only the CSRF token, which changes with every session, is left out.

    SOUK_SANDBOX=1 SOUK_VAR_DIR=DIR DATABASE_URL=... CACHE_URL=dummy:// DEBUG=0 \\
        .venv/bin/python bench/product_pages_same.py --save /tmp/product-pages-before
    (change the code)
    ... .venv/bin/python bench/product_pages_same.py --compare /tmp/product-pages-before

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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from souk.catalog.models import Product  # noqa: E402
from souk.core.middleware import SESSION_CURRENCY_KEY  # noqa: E402
from souk.core.models import ExchangeRate  # noqa: E402

LANGUAGES = ("fr", "ar", "en", "es")
_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def chosen_products() -> list[Product]:
    """Four listings with variants, two made to order, two with reviews, two with photos, one
    with a named maker, then plain ones up to twelve; the lowest ids of each kind, so the
    choice is the same on every run."""
    active = Product.objects.filter(status="active", shop__status="approved").order_by("pk")
    chosen: dict[int, Product] = {}
    for kind, limit in (
        (active.filter(variants__is_active=True).distinct(), 4),
        (active.filter(is_made_to_order=True), 2),
        (active.filter(rating_count__gt=0), 2),
        (active.filter(photos__isnull=False).distinct(), 2),
        (active.filter(maker__isnull=False), 1),
        (active, 12),
    ):
        for product in kind[:limit]:
            if len(chosen) < 12:
                chosen.setdefault(product.pk, product)
    return list(chosen.values())


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
    for number, product in enumerate(chosen_products()):
        for index, language in enumerate(LANGUAGES):
            currency = "EUR" if (number + index) % 2 else "MAD"
            path = f"/{language}/products/{product.pk}-{product.slug}/"
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
