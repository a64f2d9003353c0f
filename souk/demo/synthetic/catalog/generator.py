"""Draws the synthetic catalog: register entries, approved shops and their listings.

Deterministic: the same seed, counts, end date, trades and regions give the same rows. Rows are
plain {attname: value} dicts (`shop_id`, not `shop`), written by souk.core.bulk;
the generator touches no database. Artisans come from one random stream and listings from
another, so the listings of a run do not depend on which register entries already existed.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final

from django.utils.text import slugify

from souk.catalog import materials as material_vocabulary
from souk.demo.synthetic.catalog.vocabulary import (
    CLOSING_SENTENCES,
    COLOURS,
    LANGUAGE_SHARES,
    MOTIFS,
    SECTORS,
    Piece,
    SectorWords,
    Words,
)
from souk.demo.synthetic.register import (
    CIN_PREFIXES,
    FIRST_NAMES,
    LAST_NAMES,
    REGIONS,
    SECTOR_GOODS,
    SECTOR_WEIGHTS,
)

# Register numbers of synthetic entries: never those of a real export (RNA-<year>-<n>).
REGISTER_NUMBER_PREFIX: Final = "SYN-"
# Listings are published over this many days before the end date; shops approved before.
CATALOG_DAYS: Final = 3 * 365
Row = dict[str, Any]
# The key of a listing row holding its text fields as fragments: {field name: fragments}.
FRAGMENTS: Final = "fragments"
# Between the dimensions, as a person would write them.
TIMES: Final = "\N{MULTIPLICATION SIGN}"

_FRENCH, _ARABIC, _ENGLISH, _SPANISH = range(4)

# A few hundred distinct material words: each cut once (the lists are never changed).
_split_materials = functools.lru_cache(maxsize=None)(material_vocabulary.split_free_text)


def register_number(index: int) -> str:
    """The register number of the synthetic artisan `index` (0-based), the same in every run."""
    return f"{REGISTER_NUMBER_PREFIX}{index + 1:07d}"


@dataclass(frozen=True, slots=True)
class TradeInfo:
    code: str
    sector_code: str
    hs_code: str


@dataclass(frozen=True, slots=True)
class Artisan:
    """What a listing needs of its shop."""

    shop_id: int
    trade_index: int
    region_code: str
    commune_fr: str
    commune_ar: str


class CatalogGenerator:
    """Two seeded streams: one for artisans and their shops, one for listings."""

    def __init__(
        self,
        *,
        seed: int,
        trades: Sequence[TradeInfo],
        region_names: Mapping[str, Words],
        until: date,
    ) -> None:
        self.trades = [trade for trade in trades if trade.sector_code in SECTORS]
        if not self.trades:
            raise ValueError("No trades selling goods: load the nomenclature first.")
        # Synthetic data, not secrets: seeded, reproducible generators are the point.
        self.artisan_random = random.Random(f"{seed}-artisans")  # noqa: S311
        self.product_random = random.Random(f"{seed}-products")  # noqa: S311
        self.region_names = region_names
        self.region_codes = [code for code in REGIONS if code in region_names]
        self.region_weights = [REGIONS[code][0] for code in self.region_codes]
        self.trade_weights = [SECTOR_WEIGHTS.get(trade.sector_code, 1) for trade in self.trades]
        self.pieces = [self._pieces_of(trade) for trade in self.trades]
        self.end = datetime(until.year, until.month, until.day, 18, tzinfo=UTC)
        self.first_day = until - timedelta(days=CATALOG_DAYS)

    @staticmethod
    def _pieces_of(trade: TradeInfo) -> tuple[Piece, ...]:
        words = SECTORS[trade.sector_code]
        suffix = trade.code.rsplit("-", 1)[-1]
        named = tuple(piece for piece in words.pieces if suffix in piece.trades)
        general = tuple(piece for piece in words.pieces if not piece.trades)
        return named + general or words.pieces

    # --- Artisans -------------------------------------------------------------------------

    def artisan(self, index: int) -> tuple[Row, int, str, str, str]:
        """The register entry of artisan `index` (without id), its trade index, region and
        commune (French, Arabic). Drawn for every index, reused or not, to keep the stream."""
        pick = self.artisan_random
        trade_index = pick.choices(range(len(self.trades)), weights=self.trade_weights)[0]
        trade = self.trades[trade_index]
        region_code = pick.choices(self.region_codes, weights=self.region_weights)[0]
        province, commune_fr, commune_ar = pick.choice(REGIONS[region_code][1])
        category = pick.choices(
            ("artisan", "maitre_artisan", "cooperative", "entreprise"), weights=(80, 8, 8, 4)
        )[0]
        number = register_number(index)
        registered_at = self.first_day - timedelta(days=pick.randint(30, 900))
        entry: Row = {
            "register_number": number,
            "category": category,
            "qualification": "",
            "cin": "",
            "last_name_fr": "",
            "first_name_fr": "",
            "last_name_ar": "",
            "first_name_ar": "",
            "legal_name_fr": "",
            "legal_name_ar": "",
            "ice": "",
            "birth_date": None,
            "phone": "",
            "trade_id": trade.code,
            "region_id": region_code,
            "province": province,
            "commune": commune_fr,
            "registered_at": registered_at,
            "status": "active",
            "content_hash": hashlib.md5(number.encode(), usedforsecurity=False).hexdigest(),
            "created_at": self._moment(pick, registered_at),
        }
        entry["updated_at"] = entry["created_at"]
        first_fr, first_ar = pick.choice(FIRST_NAMES)
        last_fr, last_ar = pick.choice(LAST_NAMES)
        if category in ("artisan", "maitre_artisan"):
            entry.update(
                qualification="experience_10y" if category == "maitre_artisan" else "diplome",
                cin=f"{pick.choice(CIN_PREFIXES)}{pick.randint(1, 999_999)}",
                first_name_fr=first_fr,
                last_name_fr=last_fr.upper(),
                first_name_ar=first_ar,
                last_name_ar=last_ar,
                birth_date=registered_at - timedelta(days=pick.randint(20 * 365, 70 * 365)),
            )
        elif category == "cooperative":
            goods_fr, goods_ar = SECTOR_GOODS[trade.sector_code]
            entry.update(
                legal_name_fr=f"Coopérative {commune_fr} {goods_fr}",
                legal_name_ar=f"تعاونية {commune_ar} {goods_ar}",
            )
        else:
            entry.update(
                legal_name_fr=f"{last_fr} Artisanat SARL",
                legal_name_ar=f"شركة {last_ar} للصناعة التقليدية ش.م.م",
            )
        return entry, trade_index, region_code, commune_fr, commune_ar

    def shop(self, index: int, entry: Row, *, shop_id: int, entry_id: int) -> Row:
        """An approved shop for a register entry (the entry row as `artisan` drew it)."""
        pick = self.artisan_random
        if entry["first_name_fr"]:
            name = f"Atelier {entry['first_name_fr']} {entry['last_name_fr'].title()}"
        else:
            name = entry["legal_name_fr"]
        approved_at = self._moment(pick, self.first_day - timedelta(days=pick.randint(1, 30)))
        spoken = ["ar", "fr"] + (["en"] if pick.random() < 0.3 else [])
        return {
            "id": shop_id,
            "register_entry_id": entry_id,
            "slug": f"{slugify(name)[:60]}-{index + 1}",
            "display_name": name[:120],
            "story_ar": "",
            "story_fr": "",
            "story_en": "",
            "story_es": "",
            "workshop_city": entry["commune"],
            "region_id": entry["region_id"],
            "languages_spoken": spoken,
            "payout_method": "",
            "payout_rib": "",
            "payout_wallet_phone": "",
            "status": "approved",
            "status_reason": "",
            "status_changed_at": approved_at,
            "is_trusted": False,
            "submitted_at": approved_at - timedelta(days=2),
            "approved_at": approved_at,
            "created_at": approved_at - timedelta(days=3),
            "updated_at": approved_at,
        }

    def shop_weight(self) -> float:
        """How many listings a shop has relative to others: most a few, some many."""
        return self.artisan_random.lognormvariate(0.0, 1.0)

    # --- Listings ---------------------------------------------------------------------------

    def product(self, artisan: Artisan, *, product_id: int) -> Row:
        pick = self.product_random
        trade = self.trades[artisan.trade_index]
        words = SECTORS[trade.sector_code]
        piece = pick.choice(self.pieces[artisan.trade_index])
        materials = pick.choice(words.materials)
        colour = pick.choice(COLOURS) if pick.random() < 0.6 else None
        motif = pick.choice(MOTIFS) if pick.random() < 0.4 else None
        techniques = pick.sample(words.techniques, k=1 if pick.random() < 0.6 else 2)
        closing = pick.choice(CLOSING_SENTENCES)
        length, width, height, weight = self._size(pick, words)
        price_mad = round(
            piece.low_mad * (piece.high_mad / piece.low_mad) ** pick.random(),
            -1 if piece.high_mad < 1000 else -2,
        )
        is_made_to_order = pick.random() < words.made_to_order_share
        stock = 0 if is_made_to_order or pick.random() < 0.05 else pick.randint(1, 20)
        published_at = self._moment(
            pick, self.first_day + timedelta(days=pick.randint(0, CATALOG_DAYS))
        )
        region = self.region_names[artisan.region_code]
        languages = [code for code, share in LANGUAGE_SHARES.items() if pick.random() < share]
        material_codes, other_materials = _split_materials(materials[_FRENCH])
        row: Row = {
            "id": product_id,
            "shop_id": artisan.shop_id,
            "trade_id": trade.code,
            # Ticked from the vocabulary when it has the material, else typed (as a form does).
            "material_codes": material_codes,
            "materials": other_materials,
            "techniques": ", ".join(technique[_FRENCH] for technique in techniques),
            "region_id": artisan.region_code,
            "length_mm": length,
            "width_mm": width,
            "height_mm": height,
            "weight_grams": weight,
            "price_amount": max(int(price_mad), 10) * 100,
            "currency": "MAD",
            "stock_quantity": stock,
            "is_made_to_order": is_made_to_order,
            "lead_time_days": pick.randint(3, 45) if is_made_to_order else None,
            "hs_code": trade.hs_code,
            "maker_id": None,
            "status": "active",
            "status_reason": "",
            "status_changed_at": published_at,
            "created_at": published_at - timedelta(hours=pick.randint(2, 120)),
            "updated_at": published_at,
            "published_at": published_at,
        }
        size = f"{_cm(length)} {TIMES} {_cm(width)} {TIMES} {_cm(height)}"
        kilograms = f"{weight / 1000:.1f}"
        # Descriptions are kept as fragments joined by spaces, which the command indexes
        # fragment by fragment: most fragments recur across listings, so their normalised
        # words are computed once (see generate_catalog).
        texts: dict[str, tuple[str, tuple[str, ...]]] = {
            "fr": (
                _title_fr(piece.words, materials, colour, motif),
                (
                    f"Pièce faite à la main à {artisan.commune_fr} ({region[_FRENCH]}).",
                    f"Technique : {' et '.join(t[_FRENCH] for t in techniques)}.",
                    f"Matière : {materials[_FRENCH]}. Dimensions :",
                    size,
                    "cm ; poids :",
                    kilograms,
                    "kg.",
                    closing[_FRENCH],
                ),
            ),
            "ar": (
                _title_ar(piece.words, materials, colour, motif),
                (
                    f"قطعة مصنوعة يدويا في {artisan.commune_ar} ({region[_ARABIC]}).",
                    f"التقنية: {' و'.join(t[_ARABIC] for t in techniques)}.",
                    f"المادة: {materials[_ARABIC]}. الأبعاد:",
                    size,
                    "سم، الوزن:",
                    kilograms,
                    "كغ.",
                    closing[_ARABIC],
                ),
            ),
            "en": (
                _title_en(piece.words, materials, colour, motif),
                (
                    f"Handmade in {artisan.commune_fr} ({region[_ENGLISH]}).",
                    f"Technique: {' and '.join(t[_ENGLISH] for t in techniques)}.",
                    f"Material: {materials[_ENGLISH]}. Size:",
                    size,
                    "cm; weight:",
                    kilograms,
                    "kg.",
                    closing[_ENGLISH],
                ),
            ),
            "es": (
                _title_es(piece.words, materials, colour, motif),
                (
                    f"Hecho a mano en {artisan.commune_fr} ({region[_SPANISH]}).",
                    f"Técnica: {' y '.join(t[_SPANISH] for t in techniques)}.",
                    f"Material: {materials[_SPANISH]}. Medidas:",
                    size,
                    "cm; peso:",
                    kilograms,
                    "kg.",
                    closing[_SPANISH],
                ),
            ),
        }
        fragments: dict[str, tuple[str, ...]] = {
            "materials": (row["materials"],),
            "techniques": (row["techniques"],),
        }
        for code, (title, description) in texts.items():
            # French when the draw left the listing without any language.
            shown = code in languages or (not languages and code == "fr")
            fragments[f"title_{code}"] = (title[:140],) if shown else ()
            fragments[f"description_{code}"] = description if shown else ()
            row[f"title_{code}"] = " ".join(fragments[f"title_{code}"])
            row[f"description_{code}"] = " ".join(fragments[f"description_{code}"])
        row[FRAGMENTS] = fragments
        return row

    def _size(self, pick: random.Random, words: SectorWords) -> tuple[int, int, int, int]:
        low, high = words.length_mm
        length = int(low * (high / low) ** pick.random())
        width = max(int(length * pick.uniform(0.2, 1.0)), 5)
        height = max(int(length * pick.uniform(0.05, 0.8)), 2)
        low_weight, high_weight = words.weight_grams
        weight = int(low_weight * (high_weight / low_weight) ** pick.random())
        return length, width, height, weight

    def _moment(self, pick: random.Random, day: date) -> datetime:
        moment = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
        return min(moment + timedelta(seconds=pick.randint(0, 10 * 3600)), self.end)


def _cm(millimetres: int) -> str:
    return f"{millimetres / 10:g}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if not text[1:2].isupper() else text


def _title_fr(piece: Words, material: Words, colour: Words | None, motif: Words | None) -> str:
    title = f"{piece[_FRENCH]} en {material[_FRENCH]}"
    if motif:
        title += f" {motif[_FRENCH]}"
    return f"{title}, coloris {colour[_FRENCH]}" if colour else title


def _title_ar(piece: Words, material: Words, colour: Words | None, motif: Words | None) -> str:
    title = f"{piece[_ARABIC]} من {material[_ARABIC]}"
    if motif:
        title += f" {motif[_ARABIC]}"
    return f"{title} باللون {colour[_ARABIC]}" if colour else title


def _title_en(piece: Words, material: Words, colour: Words | None, motif: Words | None) -> str:
    title = f"{material[_ENGLISH]} {_lower_first(piece[_ENGLISH])}"
    if colour:
        title = f"{colour[_ENGLISH]} {title}"
    if motif:
        title += f" {motif[_ENGLISH]}"
    return title[:1].upper() + title[1:]


def _title_es(piece: Words, material: Words, colour: Words | None, motif: Words | None) -> str:
    title = f"{piece[_SPANISH]} de {material[_SPANISH]}"
    if motif:
        title += f" {motif[_SPANISH]}"
    return f"{title}, color {colour[_SPANISH]}" if colour else title


def shop_assignments(weights: Sequence[float], count: int, *, seed: int) -> list[int]:
    """For each of `count` listings, the index of its shop, drawn by weight; sorted, so a
    shop's listings are written together."""
    pick = random.Random(f"{seed}-shops")  # noqa: S311
    cumulative = list(itertools.accumulate(weights))
    return sorted(pick.choices(range(len(weights)), cum_weights=cumulative, k=count))
