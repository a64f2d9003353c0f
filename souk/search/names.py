"""The registry's names as search knows them: sector and trade names (every language) as
marker tokens of the listings of that sector or trade, and region names as place words.

Read once per process: the nomenclature and the regions change only with a release."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from souk.catalog.models import PRODUCT_LANGUAGES
from souk.registry.models import Region, Sector, Trade
from souk.search.analysis import (
    CONCEPT_MARK,
    LATIN_LANGUAGES,
    SECTOR_MARK,
    TRADE_MARK,
    content_words,
    name_token,
    place_words,
    word_forms,
)
from souk.search.thesaurus import get_thesaurus


@dataclass(frozen=True, slots=True)
class Names:
    # A word form of a sector's or trade's name -> the marker tokens of those it names.
    tokens_of_form: dict[str, frozenset[str]]
    # A trade code -> the tokens every listing of it is indexed with: its sector's and its own
    # marker, and the concepts their names speak of ("Poterie ..." -> pottery).
    tokens_of_trade: dict[str, tuple[str, ...]]
    # A region code -> the surfaces of its names' words (place words).
    places_of_region: dict[str, frozenset[str]]
    # The surfaces of every place word -> the regions they belong to.
    regions_of_place: dict[str, frozenset[str]]
    # Surfaces of every name word: known words, for the typo correction.
    surfaces: frozenset[str]


def _name_forms(name: str) -> list[list[str]]:
    return [word_forms(word, (*LATIN_LANGUAGES, "ar")) for word in content_words(name)]


@functools.cache
def get_names() -> Names:
    tokens_of_form: dict[str, set[str]] = {}
    surfaces: set[str] = set()
    concepts_of: dict[str, list[str]] = {}
    thesaurus = get_thesaurus()
    for model, mark in ((Sector, SECTOR_MARK), (Trade, TRADE_MARK)):
        for row in model.objects.all():
            token = name_token(mark, row.pk)
            for code in PRODUCT_LANGUAGES:
                forms_of_words = _name_forms(getattr(row, f"name_{code}"))
                for forms in forms_of_words:
                    surfaces.add(forms[0])
                    for form in forms:
                        tokens_of_form.setdefault(form, set()).add(token)
                for match in thesaurus.find(forms_of_words, languages=(code,), every=True):
                    concepts_of.setdefault(row.pk, []).extend(match.concepts)
    tokens_of_trade: dict[str, tuple[str, ...]] = {}
    for trade in Trade.objects.all():
        tokens = [name_token(SECTOR_MARK, trade.sector_id), name_token(TRADE_MARK, trade.pk)]
        for code in (trade.sector_id, trade.pk):
            tokens.extend(CONCEPT_MARK + concept for concept in concepts_of.get(code, []))
        tokens_of_trade[trade.pk] = tuple(dict.fromkeys(tokens))
    places_of_region: dict[str, frozenset[str]] = {}
    regions_of_place: dict[str, set[str]] = {}
    for region in Region.objects.all():
        places = place_words(getattr(region, f"name_{code}") for code in PRODUCT_LANGUAGES)
        # "جهة" (region) is in every Arabic name: not a place of its own.
        places = frozenset(word for word in places if word not in GENERIC_PLACE_WORDS)
        places_of_region[region.pk] = places
        for word in places:
            regions_of_place.setdefault(word, set()).add(region.pk)
    return Names(
        tokens_of_form={form: frozenset(tokens) for form, tokens in tokens_of_form.items()},
        tokens_of_trade=tokens_of_trade,
        places_of_region=places_of_region,
        regions_of_place={word: frozenset(codes) for word, codes in regions_of_place.items()},
        surfaces=frozenset(surfaces),
    )


GENERIC_PLACE_WORDS = frozenset({"جهه", "region"})
