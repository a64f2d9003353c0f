"""The Material facet of the search and browse pages, on the database the suite runs on (SQLite
or PostgreSQL): exact counts kept through indexing and removal, names in the reader's language,
links that list exactly the works counted."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from souk.catalog import services as catalog
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.registry.models import Trade
from souk.search import tasks
from souk.search.backends import get_backend, kept_counts
from souk.search.backends.base import SearchFilters
from souk.search.models import DocumentMaterial, KeptCount
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db

RUGS = "S07-T01"
HEADINGS = {"ar": "المادة", "fr": "Matériau", "en": "Material", "es": "Material"}


def _rug(**fields: Any) -> Product:
    weaver = make_approved_shop(trade_id=RUGS, region_id=fields.pop("region_id", "01"))
    fields.setdefault("title_fr", "Tapis berbère")
    fields.setdefault("description_fr", "Une pièce faite à la main.")
    fields.setdefault("materials", "")
    return make_active_product(shop=weaver, trade=Trade.objects.get(pk=RUGS), **fields)


def _index(*products: Product) -> None:
    tasks.index_products.call([product.pk for product in products])


def _kept(scope: str) -> dict[str, int]:
    return dict(
        KeptCount.objects.filter(scope=scope, facet="material", count__gt=0).values_list(
            "value", "count"
        )
    )


def _material_facet(html: str) -> dict[str, tuple[str, int]]:
    """The Material facet of a page (headed "Material" in any of our languages): its links,
    each to (name shown, count)."""
    facets: dict[str, tuple[str, int]] = {}
    for heading, items in re.findall(
        r'<h2>([^<]*)</h2>\s*<ul class="facet-list">(.*?)</ul>', html, re.S
    ):
        if heading not in HEADINGS.values():
            continue
        for link, name, count in re.findall(
            r'<a href="([^"]*)"[^>]*>([^<]*) <span class="facet-count">\((\d+)\)</span>', items
        ):
            facets[unescape(link)] = (unescape(name).strip(), int(count))
    return facets


def _card_titles(html: str) -> list[str]:
    return [unescape(title) for title in re.findall(r'class="product-card__title">([^<]*)<', html)]


@pytest.fixture
def rugs() -> list[Product]:
    """Three rugs: wool ticked, wool and cotton ticked, wool typed as free text ("laine"), in
    two regions; and a pot of clay (another sector)."""
    ticked = _rug(title_fr="Tapis Azilal", material_codes=("wool",))
    both = _rug(title_fr="Tapis Boucherouite", material_codes=("wool", "cotton"), region_id="02")
    typed = _rug(title_fr="Tapis Zemmour", materials="laine de mouton")
    pot = make_active_product(shop=make_approved_shop(), materials="argile")
    _index(ticked, both, typed, pot)
    return [ticked, both, typed, pot]


def test_each_document_has_the_codes_whose_filter_it_passes(rugs):
    ticked, both, typed, pot = rugs
    codes = {
        product.pk: sorted(
            DocumentMaterial.objects.filter(product_id=product.pk).values_list("code", flat=True)
        )
        for product in rugs
    }
    assert codes == {
        ticked.pk: ["wool"],
        both.pk: ["cotton", "wool"],
        # Typed, not ticked: "laine" is the wool concept, so the wool filter finds it.
        typed.pk: ["wool"],
        pot.pk: ["clay"],
    }
    for product in rugs:
        for code in codes[product.pk]:
            found = get_backend().search("", SearchFilters(material=code), 10, None)
            assert product.pk in found.product_ids


def test_kept_material_counts_are_exact_after_index_and_remove(rugs):
    ticked, both, _typed, _pot = rugs
    # then: every work counted once per material, per scope
    assert _kept("") == {"wool": 3, "cotton": 1, "clay": 1}
    assert _kept("sector:S07") == {"wool": 3, "cotton": 1}
    assert _kept(f"trade:{RUGS}") == {"wool": 3, "cotton": 1}
    assert _kept("region:02") == {"wool": 1, "cotton": 1}
    # when: a rug paused (removed from the index), another re-indexed without its cotton
    catalog.pause_product(product=ticked, actor=owner_of(ticked.shop))
    _index(ticked)
    Product.objects.filter(pk=both.pk).update(material_codes=["wool"])
    _index(both)
    _index(both)  # indexed twice: counted once
    # then
    assert _kept("") == {"wool": 2, "clay": 1}
    assert _kept("region:02") == {"wool": 1}
    assert not DocumentMaterial.objects.filter(product_id=ticked.pk).exists()
    # and counting every document again gives the same
    before = sorted(
        KeptCount.objects.filter(count__gt=0).values_list("scope", "facet", "value", "count")
    )
    kept_counts.rebuild()
    after = sorted(
        KeptCount.objects.filter(count__gt=0).values_list("scope", "facet", "value", "count")
    )
    assert before == after


@pytest.mark.parametrize(
    ("language", "wool", "cotton"),
    [
        ("ar", "صوف", "قطن"),
        ("fr", "laine", "coton"),
        ("en", "wool", "cotton"),
        ("es", "lana", "algodón"),
    ],
)
def test_browse_page_names_the_materials_in_the_readers_language(
    client, rugs, language, wool, cotton
):
    # when
    with translation.override(language):
        html = client.get(reverse("browse:sector", args=["S07"])).content.decode()
    # then: counts read from the kept table, names from the vocabulary
    assert f"<h2>{HEADINGS[language]}</h2>" in html
    assert _material_facet(html) == {"?material=wool": (wool, 3), "?material=cotton": (cotton, 1)}


@pytest.mark.parametrize(
    "page",
    [
        ("search:search", ()),
        ("browse:sector", ("S07",)),
        ("browse:trade", ("S07", RUGS)),
        ("browse:region", ("01",)),
    ],
)
def test_each_material_link_lists_exactly_the_works_it_counts(client, rugs, page):
    # given
    name, args = page
    with translation.override("en"):
        address = reverse(name, args=args)
    html = client.get(address).content.decode()
    facet = _material_facet(html)
    assert facet
    # when / then: following each link lists as many works as counted, each made of it
    for link, (_name, count) in facet.items():
        listed = client.get(address + link).content.decode()
        assert f"{count} work" in listed
        assert len(_card_titles(listed)) == count
        assert 'aria-current="true">' + _name in listed


def test_a_word_search_counts_materials_over_its_matches(client, rugs):
    # when: words (a bounded set of matches is counted), then words and a filter
    html = client.get("/en/search/", {"q": "tapis"}).content.decode()
    filtered = client.get("/en/search/", {"q": "tapis", "region": "02"}).content.decode()
    cheap = client.get("/en/search/", {"price_max": "1000"}).content.decode()
    # then
    assert _material_facet(html) == {
        "?q=tapis&material=wool": ("wool", 3),
        "?q=tapis&material=cotton": ("cotton", 1),
    }
    assert _material_facet(filtered) == {
        "?q=tapis&region=02&material=wool": ("wool", 1),
        "?q=tapis&region=02&material=cotton": ("cotton", 1),
    }
    # Every work costs 450 MAD: all four counted by the filtered page (no kept counts).
    assert set(_material_facet(cheap).values()) == {("wool", 3), ("cotton", 1), ("clay", 1)}


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("en", "Your search was cut to its first 200 characters."),
        ("fr", "Votre recherche a été coupée à ses 200 premiers caractères."),
        ("es", "Su búsqueda se ha recortado a sus primeros 200 caracteres."),
        # 200: the sixth Arabic form (a hundred's multiple), its noun singular
        ("ar", "قُصّ بحثك إلى أول 200 حرف."),
    ],
)
def test_the_cut_query_notice_agrees_with_its_number(client, language, notice):
    response = client.get(f"/{language}/search/", {"q": "tapis " + "x" * 300})
    assert notice in unescape(response.content.decode())
