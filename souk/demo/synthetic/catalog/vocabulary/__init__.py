"""Words the synthetic catalog is written with, per sector and trade, in ar / fr / en / es.

Each entry is one word or phrase in the four languages of a listing, in the order
(French, Arabic, English, Spanish). Titles and descriptions combine an object of the trade with
one of its sector's materials, a colour, sometimes a motif, and the sector's techniques. The
Arabic phrases are built to need no agreement with the noun ("من الصوف", "باللون الأحمر",
"بزخارف هندسية"), so every combination reads correctly.
"""

from __future__ import annotations

from typing import Final

from souk.demo.synthetic.catalog.vocabulary.jewellery_to_basketry import JEWELLERY_TO_BASKETRY
from souk.demo.synthetic.catalog.vocabulary.pottery_to_metalwork import POTTERY_TO_METALWORK
from souk.demo.synthetic.catalog.vocabulary.words import (
    CLOSING_SENTENCES,
    COLOURS,
    LANGUAGE_SHARES,
    MOTIFS,
    Piece,
    SectorWords,
    Words,
)

SECTORS: Final[dict[str, SectorWords]] = {**POTTERY_TO_METALWORK, **JEWELLERY_TO_BASKETRY}

__all__ = [
    "CLOSING_SENTENCES",
    "COLOURS",
    "LANGUAGE_SHARES",
    "MOTIFS",
    "SECTORS",
    "Piece",
    "SectorWords",
    "Words",
]
