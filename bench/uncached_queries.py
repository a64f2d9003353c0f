"""The URLs of bench/search_uncached.py (and bench/search_engines.py): 300 distinct queries
drawn with a fixed seed from the catalogue's own words (souk/demo/synthetic/catalog/
vocabulary), the craft thesaurus (souk/search/data) and the region names, then the browse
pages. None is a query of bench/search_queries.tsv but the common words of COMMON."""

from __future__ import annotations

import csv
import random
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from souk.core.text import normalize_text
from souk.demo.synthetic.catalog.vocabulary import COLOURS, SECTORS

ROOT = Path(__file__).resolve().parent.parent
JUDGED_QUERIES = ROOT / "bench" / "search_queries.tsv"
THESAURUS = ROOT / "souk" / "search" / "data" / "thesaurus.tsv"
REGIONS = ROOT / "souk" / "registry" / "data" / "regions.csv"
NOMENCLATURE = ROOT / "souk" / "registry" / "data" / "nomenclature.csv"
SEED = 2026
QUERY_COUNT = 300
# How many queries of each kind are drawn (the common words are a fixed list).
QUOTAS = {
    "word": 55,
    "latin-plural": 20,
    "arabic-article": 22,
    "arabic-plural": 15,
    "darija": 20,
    "two-words": 60,
    "three-words": 35,
    "typo": 40,
    "place": 23,
}
# One-letter and very common words: asked as they are, even when the judged set has them.
COMMON = (
    ("fr", "a"),
    ("fr", "e"),
    ("ar", "ب"),
    ("fr", "tapis"),
    ("fr", "de"),
    ("en", "the"),
    ("es", "el"),
    ("fr", "maroc"),
    ("en", "handmade"),
    ("ar", "المغرب"),
)
LANGUAGE_INDEX = {"fr": 0, "ar": 1, "en": 2, "es": 3}
# Browse pages: every sector (in turn in each language), every work, some regions.
BROWSE_REGIONS = (("fr", "07"), ("ar", "03"), ("en", "01"), ("es", "10"))


@dataclass(frozen=True, slots=True)
class Target:
    kind: str
    language: str
    words: str
    path: str


# --- The queries ----------------------------------------------------------------------------


def _key(words: str) -> str:
    return " ".join(normalize_text(words).split())


def _judged() -> set[str]:
    with JUDGED_QUERIES.open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        next(rows)
        return {_key(row[2]) for row in rows if len(row) > 2}


def _thesaurus_terms() -> list[tuple[str, str, int]]:
    """(language, term, position in its cell) of every thesaurus term; Darija terms in Arabic
    script are "darija-ar", in Latin "darija"."""
    terms = []
    with THESAURUS.open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        next(rows)
        for row in rows:
            for language, cell in zip(("ar", "fr", "en", "es", "darija"), row[3:], strict=False):
                for position, term in enumerate(t.strip() for t in cell.split("|")):
                    if term:
                        arabic = any("\u0600" <= ch <= "\u06ff" for ch in term)
                        tag = "darija-ar" if language == "darija" and arabic else language
                        terms.append((tag, term, position))
    return terms


def _places() -> list[tuple[str, str]]:
    """(language, place word) from the region names: cities and areas, not "région"."""
    places = []
    with REGIONS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for language in ("fr", "ar", "en", "es"):
                name = row[f"name_{language}"].replace("جهة ", "")
                for part in re.split(r"[-\s]+", name):
                    if len(part) > 3 and part.lower() not in {"l'oriental", "oriental"}:
                        places.append((language, part))
    return places


def _typo(word: str, rng: random.Random) -> str:
    """One edit: a letter dropped, doubled, swapped with the next, or replaced."""
    position = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("drop", "double", "swap", "replace"))
    if edit == "drop":
        return word[:position] + word[position + 1 :]
    if edit == "double":
        return word[:position] + word[position] + word[position:]
    if edit == "swap":
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    letters = "abcdefghijklmnoprstuvz" if word.isascii() else "ابتثجحخدرزسشصطعفقكلمنهوي"
    return word[:position] + rng.choice(letters) + word[position + 1 :]


def make_queries(seed: int = SEED) -> list[tuple[str, str, str]]:
    """QUERY_COUNT distinct (kind, language, words), the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311  (a benchmark's draw, not a secret)
    pieces = [p.words for sector in SECTORS.values() for p in sector.pieces]
    materials = [m for sector in SECTORS.values() for m in sector.materials]
    techniques = [t for sector in SECTORS.values() for t in sector.techniques]
    thesaurus = _thesaurus_terms()
    places = _places()

    def word(table: Sequence[tuple[str, str, str, str]], language: str) -> str:
        return rng.choice(table)[LANGUAGE_INDEX[language]].lower()

    def draw(kind: str) -> tuple[str, str]:
        language = rng.choice(("fr", "fr", "ar", "en", "en", "es"))
        if kind == "word":
            table = rng.choice((pieces, pieces, materials, techniques, COLOURS))
            return language, word(table, language)
        if kind == "latin-plural":
            language = rng.choice(("fr", "en", "es"))
            single = word(pieces, language).split()[0]
            return language, single + ("es" if language == "es" and single[-1] in "nrl" else "s")
        if kind == "arabic-article":
            bare = word(pieces + techniques, "ar").split()[0]
            return "ar", bare if bare.startswith("ال") else "ال" + bare
        if kind == "arabic-plural":
            plurals = [t for lang, t, pos in thesaurus if lang == "ar" and pos > 0]
            term = rng.choice(plurals)
            return "ar", ("ال" + term) if rng.random() < 0.3 else term
        if kind == "darija":
            tag, term, _ = rng.choice([t for t in thesaurus if t[0].startswith("darija")])
            return ("ar" if tag == "darija-ar" else "fr"), term
        if kind == "two-words":
            second = rng.choice((COLOURS, materials))
            return language, f"{word(pieces, language)} {word(second, language)}"
        if kind == "three-words":
            first, colour = word(pieces, language), word(COLOURS, language)
            third = rng.choice([p for lang, p in places if lang == language] or ["fes"])
            if rng.random() < 0.5:
                third = word(materials, language)
            return language, " ".join([*first.split()[:1], colour, third.lower()])
        if kind == "typo":
            table = rng.choice((pieces, materials, COLOURS))
            long_words = [w for w in word(table, language).split() if len(w) >= 5]
            if not long_words:
                return language, ""
            return language, _typo(rng.choice(long_words), rng)
        # A place alone, or a piece from there.
        language, place = rng.choice(places)
        if rng.random() < 0.5:
            return language, place.lower()
        return language, f"{word(pieces, language)} {place.lower()}"

    seen = _judged()
    queries: list[tuple[str, str, str]] = []
    for language, words in COMMON:
        queries.append(("common", language, words))
        seen.add(_key(words))
    for kind, quota in QUOTAS.items():
        drawn = 0
        for _attempt in range(quota * 200):
            if drawn == quota:
                break
            language, words = draw(kind)
            key = _key(words)
            if not key or key in seen or len(key.split()) > 3:
                continue
            seen.add(key)
            queries.append((kind, language, words))
            drawn += 1
    return queries[:QUERY_COUNT]


def targets(seed: int = SEED) -> list[Target]:
    found = [
        Target(kind, language, words, f"/{language}/search/?q={urllib.parse.quote(words)}")
        for kind, language, words in make_queries(seed)
    ]
    with NOMENCLATURE.open(encoding="utf-8") as handle:
        sectors = sorted({row["sector_code"] for row in csv.DictReader(handle)})
    languages = ("fr", "ar", "en", "es")
    found += [
        Target("sector", languages[n % 4], code, f"/{languages[n % 4]}/crafts/{code}/")
        for n, code in enumerate(sectors)
    ]
    found += [Target("all works", lang, "", f"/{lang}/search/") for lang in ("fr", "ar")]
    found += [
        Target("region", lang, code, f"/{lang}/regions/{code}/") for lang, code in BROWSE_REGIONS
    ]
    return found
