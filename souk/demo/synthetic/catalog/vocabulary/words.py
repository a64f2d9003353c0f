"""The shape of the synthetic catalog's words, and the words every sector shares.

Each entry is one word or phrase in the four languages of a listing, in the order
(French, Arabic, English, Spanish). The Arabic phrases are built to need no agreement with the
noun ("من الصوف", "باللون الأحمر", "بزخارف هندسية"), so every combination reads correctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# (French, Arabic, English, Spanish)
Words = tuple[str, str, str, str]


@dataclass(frozen=True, slots=True)
class Piece:
    """An object a trade makes, its price range in MAD, and the trades (suffixes) that make it."""

    words: Words
    low_mad: int
    high_mad: int
    trades: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SectorWords:
    pieces: tuple[Piece, ...]
    materials: tuple[Words, ...]
    techniques: tuple[Words, ...]
    # Typical size of a piece: longest side in mm, and weight in grams.
    length_mm: tuple[int, int]
    weight_grams: tuple[int, int]
    # Share of the listings made to order rather than held in stock.
    made_to_order_share: float


def piece(fr: str, ar: str, en: str, es: str, low: int, high: int, trades: str = "") -> Piece:
    return Piece((fr, ar, en, es), low, high, tuple(trades.split()))


# Colours: the Arabic is the noun phrase that follows "باللون".
COLOURS: Final[tuple[Words, ...]] = (
    ("rouge", "الأحمر", "red", "rojo"),
    ("bleu", "الأزرق", "blue", "azul"),
    ("vert", "الأخضر", "green", "verde"),
    ("safran", "الزعفراني", "saffron", "azafrán"),
    ("ocre", "الأصفر الترابي", "ochre", "ocre"),
    ("noir", "الأسود", "black", "negro"),
    ("blanc", "الأبيض", "white", "blanco"),
    ("beige", "البيج", "beige", "beige"),
    ("indigo", "النيلي", "indigo", "índigo"),
    ("turquoise", "الفيروزي", "turquoise", "turquesa"),
    ("brun", "البني", "brown", "marrón"),
    ("naturel", "الطبيعي", "natural", "natural"),
)

MOTIFS: Final[tuple[Words, ...]] = (
    ("à motifs berbères", "بزخارف أمازيغية", "with Berber motifs", "con motivos bereberes"),
    ("à motifs géométriques", "بزخارف هندسية", "with geometric motifs", "con motivos geométricos"),
    ("à motifs floraux", "بزخارف نباتية", "with floral motifs", "con motivos florales"),
    ("à losanges", "بزخارف معينية", "with diamond patterns", "con rombos"),
    ("à rayures", "بخطوط", "with stripes", "a rayas"),
    ("à calligraphie", "بزخرفة خطية", "with calligraphy", "con caligrafía"),
)

# One of these closes a description.
CLOSING_SENTENCES: Final[tuple[Words, ...]] = (
    (
        "Chaque pièce est unique : de légères variations témoignent du travail à la main.",
        "كل قطعة فريدة، والاختلافات الطفيفة دليل على العمل اليدوي.",
        "Each piece is unique; small variations show the handwork.",
        "Cada pieza es única; las pequeñas variaciones muestran el trabajo manual.",
    ),
    (
        "Réalisée dans notre atelier familial, transmis de génération en génération.",
        "صنعت في ورشتنا العائلية التي توارثناها جيلا بعد جيل.",
        "Made in our family workshop, handed down through generations.",
        "Hecha en nuestro taller familiar, transmitido de generación en generación.",
    ),
    (
        "Nettoyer avec un chiffon doux et sec.",
        "تنظف بقطعة قماش ناعمة وجافة.",
        "Clean with a soft dry cloth.",
        "Limpiar con un paño suave y seco.",
    ),
    (
        "Expédiée soigneusement emballée depuis le Maroc.",
        "ترسل مغلفة بعناية من المغرب.",
        "Shipped carefully packed from Morocco.",
        "Enviada cuidadosamente embalada desde Marruecos.",
    ),
    (
        "Peut être réalisée sur mesure : contactez l'artisan.",
        "يمكن صنعها حسب الطلب: تواصلوا مع الحرفي.",
        "Can be made to measure: contact the artisan.",
        "Se puede hacer a medida: contacte con el artesano.",
    ),
)

# Share of listings written in each language; French is the fallback when none is drawn.
LANGUAGE_SHARES: Final[dict[str, float]] = {"fr": 0.9, "ar": 0.75, "en": 0.55, "es": 0.3}
