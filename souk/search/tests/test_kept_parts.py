"""The parts of a listing page kept in the process (souk/search/forms.py, selectors.py): the
filter form's widgets per language and value, the names of the facets' codes. What is kept
must read as what would be rendered or read again."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from souk.registry.models import Sector
from souk.search import selectors
from souk.search.backends.base import FacetCount, SearchResults
from souk.search.forms import SearchForm

pytestmark = pytest.mark.django_db


def _field(data: dict[str, str], name: str, language: str) -> str:
    with translation.override(language):
        return str(SearchForm(data)[name])


def test_the_ships_to_select_is_in_the_page_language_with_the_chosen_country():
    french = _field({}, "ships_to", "fr")
    english = _field({}, "ships_to", "en")
    chosen = _field({"ships_to": "ES"}, "ships_to", "en")
    assert '<option value="" selected>' in english
    assert "Spain" in english
    assert "Espagne" in french
    assert '<option value="ES" selected>' in chosen
    assert '<option value="" selected>' not in chosen
    # Kept: the same text again.
    assert _field({}, "ships_to", "en") == english


def test_a_price_that_cannot_be_read_is_shown_as_typed_and_marked_invalid():
    empty = _field({}, "price_min", "en")
    typed = _field({"price_min": "cheap"}, "price_min", "en")
    assert 'value="cheap"' in typed
    assert 'aria-invalid="true"' in typed
    assert "value=" not in empty
    assert "aria-invalid" not in empty
    assert _field({"price_min": "cheap"}, "price_min", "en") == typed


def test_the_availability_select_follows_the_language_and_the_choice():
    english = _field({"availability": "in_stock"}, "availability", "en")
    french = _field({"availability": "in_stock"}, "availability", "fr")
    assert re.search(r'<option value="in_stock" selected>In stock</option>', english)
    assert "In stock" not in french


def test_a_sector_added_after_the_names_were_read_is_named():
    with translation.override("en"):
        selectors._named(
            SearchResults(product_ids=(), total=0, facets={"sector": (FacetCount("S01", 1),)}),
            "sector",
            Sector,
        )
        Sector.objects.create(
            code="S99", name_ar="x", name_fr="Essai", name_en="Trial", name_es="Prueba"
        )
        named = selectors._named(
            SearchResults(product_ids=(), total=0, facets={"sector": (FacetCount("S99", 2),)}),
            "sector",
            Sector,
        )
    assert named == [selectors.NamedFacet("S99", "Trial", 2)]
