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

from souk.catalog.models import Product  # noqa: E402

LANGUAGES = ("fr", "ar", "en", "es")


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


def pages() -> list[tuple[str, str]]:
    by_currency = pages_same.clients()
    shown = []
    for number, product in enumerate(chosen_products()):
        for index, language in enumerate(LANGUAGES):
            currency = "EUR" if (number + index) % 2 else "MAD"
            path = f"/{language}/products/{product.pk}-{product.slug}/"
            shown.append(pages_same.shown(by_currency[currency], currency, path))
    return shown


if __name__ == "__main__":
    pages_same.save_or_compare(pages())
