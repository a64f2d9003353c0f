"""The server process prepares the product page at start (souk/wsgi.py, souk/core/warmup.py):
its templates are compiled, and in every language the URL tables, the formats and the delivery
line's country menu are built before the first request, which then builds none of them."""

from __future__ import annotations

import json

from souk.web.tests.wsgi_process import run_server_process

PROBE = """
import json
import souk.wsgi
from django.conf import settings
from django.template import engines
from django.urls import reverse
from django.urls.resolvers import URLResolver
from django.utils import translation
from souk.shipping.templatetags.delivery import _country_options

built = []
populate = URLResolver._populate
URLResolver._populate = lambda resolver: built.append(repr(resolver)) or populate(resolver)
for code, _name in settings.LANGUAGES:
    with translation.override(code):
        reverse("catalog:detail", kwargs={"product_id": 1, "slug": "a"})
        reverse("web:home")
        reverse("browse:sector", args=[1])
loader = engines["django"].engine.template_loaders[0]
print(json.dumps({
    "templates": sorted(loader.get_template_cache),
    "built": built,
    "menus": _country_options.cache_info().currsize,
    "languages": len(settings.LANGUAGES),
}))
"""


def test_the_wsgi_process_starts_with_the_product_page_ready_in_every_language(tmp_path):
    # when gunicorn's worker imports the application (the sandbox's settings, as make run)
    output = run_server_process(PROBE, tmp_path)
    ready = json.loads(output.strip().splitlines()[-1])
    # then the page, its parent, includes, inclusion tags and live parts are compiled
    for name in (
        "catalog/detail.html",
        "base.html",
        "catalog/_card.html",
        "reviews/_product.html",
        "reviews/_rating.html",
        "shipping/_delivery_line.html",
        "web/_site_menu_account.html",
    ):
        assert name in ready["templates"]
    # and no language's first reverse() builds a URL table
    assert ready["built"] == []
    # and each language's country menu is made
    assert ready["menus"] >= ready["languages"]
