"""The materials vocabulary: what a piece is made of, as codes with a name in each language.

An artisan ticks materials from the list of their trade instead of typing them, so the product
page in every language, the search filter and the customs papers read the same ("wool", "laine",
"صوف" and "lana" are the code `wool`). The list is `data/materials.tsv`; its codes are the
search thesaurus's concepts (souk/search/data/thesaurus.tsv), so a name in any language finds
them. A listing keeps, beside its codes, free text for materials the list does not have.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from souk.core.text import normalize_text

DATA_FILE = Path(__file__).parent / "data" / "materials.tsv"
LANGUAGES = ("ar", "fr", "en", "es")
# Where free text is cut into materials: commas, semicolons, slashes, "and" in each language.
_SEPARATORS = re.compile(r"\s*(?:[,;/+&،؛]|\band\b|\bet\b|\by\b|\s+و\s+)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Material:
    code: str
    # Sector or trade codes of the register's nomenclature; a sector covers its trades.
    applies_to: frozenset[str]
    names: dict[str, str]

    def name(self, language: str) -> str:
        return self.names.get(language[:2]) or self.names["fr"]

    def applies(self, *, trade_code: str, sector_code: str) -> bool:
        return trade_code in self.applies_to or sector_code in self.applies_to


@functools.cache
def all_materials() -> dict[str, Material]:
    """Every material by code, in the file's order."""
    materials: dict[str, Material] = {}
    with DATA_FILE.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t"):
            materials[row["code"]] = Material(
                code=row["code"],
                applies_to=frozenset(row["applies_to"].split()),
                names={language: row[language] for language in LANGUAGES},
            )
    return materials


@functools.cache
def _by_name() -> dict[str, str]:
    """Normalised code and names in every language -> code."""
    index: dict[str, str] = {}
    for material in all_materials().values():
        for word in (material.code, *material.names.values()):
            index.setdefault(normalize_text(word), material.code)
    return index


def get_material(code: str) -> Material | None:
    return all_materials().get(code)


def find_code(text: str) -> str | None:
    """The code a code or a name in any language stands for ("Laine", "صوف" -> "wool")."""
    return _by_name().get(normalize_text(text))


def materials_for_trade(*, trade_code: str, sector_code: str) -> list[Material]:
    """The materials an artisan of this trade may tick, in the file's order."""
    return [
        material
        for material in all_materials().values()
        if material.applies(trade_code=trade_code, sector_code=sector_code)
    ]


def known_codes(codes: Iterable[str]) -> list[str]:
    """The codes of the vocabulary among `codes`, once each, in the vocabulary's order."""
    wanted = set(codes)
    return [code for code in all_materials() if code in wanted]


def names(codes: Iterable[str], language: str) -> list[str]:
    """The materials' names in `language`; unknown codes are left out."""
    materials = all_materials()
    return [materials[code].name(language) for code in codes if code in materials]


def every_name(codes: Iterable[str]) -> str:
    """The materials' names in all four languages, for the search index."""
    materials = all_materials()
    return " ".join(
        materials[code].names[language]
        for code in codes
        if code in materials
        for language in LANGUAGES
    )


def split_free_text(text: str) -> tuple[list[str], str]:
    """Free text cut into the codes it names and the rest, kept as typed ("laine, coton et
    henné" -> ["wool", "cotton"], "henné"). Used to move old listings onto the vocabulary."""
    codes: list[str] = []
    rest: list[str] = []
    for part in _SEPARATORS.split(text):
        part = part.strip(" .")
        if not part:
            continue
        code = find_code(part)
        if code is None:
            rest.append(part)
        elif code not in codes:
            codes.append(code)
    return known_codes(codes), ", ".join(rest)
