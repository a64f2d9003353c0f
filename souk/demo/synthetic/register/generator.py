"""A synthetic national register, realistic enough to test and benchmark the import.

Deterministic: the same seed, row count, end date and trade list give the same file, byte for
byte. Rows are produced one at a time, so 420,000 of them never sit in memory. Every row is
valid under register-format.md; the writing varies as a real export's would (phones in several
Moroccan writings, French category and status labels, `DD/MM/YYYY` dates with French headers).
Names are plausible Moroccan names in Latin and Arabic script; no row describes a real person.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final, Protocol

# openpyxl ships no type hints (types-openpyxl is not a dependency): read it as Any.
import openpyxl  # type: ignore[import-untyped]

from souk.demo.synthetic.register.names import (
    CIN_PREFIXES,
    FIRST_NAMES,
    FIXED_PREFIXES,
    LAST_NAMES,
    MOBILE_PREFIXES,
)
from souk.demo.synthetic.register.places import REGIONS, SECTOR_GOODS, SECTOR_WEIGHTS
from souk.registry.importing.columns import COLUMNS

REGISTER_LAUNCH: Final = date(2022, 2, 21)

FRENCH_HEADERS: Final[dict[str, str]] = {
    "register_number": "Numéro_Registre",
    "category": "Catégorie",
    "qualification": "Qualification",
    "cin": "CIN",
    "last_name_fr": "Nom_FR",
    "first_name_fr": "Prénom_FR",
    "last_name_ar": "Nom_AR",
    "first_name_ar": "Prénom_AR",
    "legal_name_fr": "Raison_Sociale_FR",
    "legal_name_ar": "Raison_Sociale_AR",
    "ice": "ICE",
    "birth_date": "Date_Naissance",
    "phone": "Téléphone",
    "trade_code": "Code_Métier",
    "region_code": "Code_Région",
    "province": "Province",
    "commune": "Commune",
    "registered_at": "Date_Inscription",
    "status": "Statut",
}
FIELDS: Final = tuple(field for field, _alias in COLUMNS)

_FRENCH_CATEGORY: Final = {
    "artisan": "Artisan",
    "maitre_artisan": "Maître artisan",
    "cooperative": "Coopérative",
    "entreprise": "Entreprise",
}
_FRENCH_STATUS: Final = {"active": "actif", "suspended": "suspendu", "struck_off": "radié"}


class TextSink(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass(frozen=True, slots=True)
class TradeChoice:
    code: str
    sector_code: str


class RegisterGenerator:
    """Draws register rows from one seeded random generator."""

    def __init__(
        self, *, seed: int, trades: Sequence[TradeChoice], until: date, french: bool
    ) -> None:
        if not trades:
            raise ValueError("No trades to draw from: load the nomenclature first.")
        # Synthetic data, not secrets: a seeded, reproducible generator is the point.
        self.random = random.Random(seed)  # noqa: S311
        self.until = until
        self.french = french
        self.trades = list(trades)
        self.trade_weights = [SECTOR_WEIGHTS.get(trade.sector_code, 1) for trade in self.trades]
        self.region_codes = list(REGIONS)
        self.region_weights = [REGIONS[code][0] for code in self.region_codes]
        self.registration_days = (until - REGISTER_LAUNCH).days

    def header(self) -> list[str]:
        return [FRENCH_HEADERS[field] if self.french else field for field in FIELDS]

    def rows(self, count: int) -> Iterator[list[str]]:
        for index in range(count):
            row = self.row(index)
            yield [row.get(field, "") for field in FIELDS]

    def row(self, index: int) -> dict[str, str]:
        pick = self.random
        registered_at = REGISTER_LAUNCH + timedelta(days=pick.randint(0, self.registration_days))
        trade = pick.choices(self.trades, weights=self.trade_weights)[0]
        region_code = pick.choices(self.region_codes, weights=self.region_weights)[0]
        province, commune_fr, commune_ar = pick.choice(REGIONS[region_code][1])
        category = pick.choices(
            ("artisan", "maitre_artisan", "cooperative", "entreprise"), weights=(80, 8, 8, 4)
        )[0]
        row = {
            "register_number": f"RNA-{registered_at.year}-{index + 1:07d}",
            "category": _FRENCH_CATEGORY[category] if self.french else category,
            "trade_code": trade.code,
            "region_code": region_code if pick.random() < 0.7 else region_code.lstrip("0"),
            "province": province,
            "commune": commune_fr,
            "registered_at": self.date_text(registered_at),
            "status": self.status(),
            "phone": self.phone() if pick.random() < 0.85 else "",
        }
        if category in ("artisan", "maitre_artisan"):
            row.update(self.person(category, registered_at))
        else:
            row.update(self.organisation(category, trade.sector_code, commune_fr, commune_ar))
        return row

    def person(self, category: str, registered_at: date) -> dict[str, str]:
        pick = self.random
        first_fr, first_ar = pick.choice(FIRST_NAMES)
        last_fr, last_ar = pick.choice(LAST_NAMES)
        age_days = pick.randint(18 * 365 + 5, 79 * 365)
        scripts = pick.random()
        if category == "maitre_artisan":
            qualification = "experience_10y"
        else:
            qualification = pick.choice(("diplome", "experience_3y", "experience_3y", ""))
        return {
            "qualification": qualification,
            "cin": f"{pick.choice(CIN_PREFIXES)}{pick.randint(1, 999_999)}",
            # Most rows carry both scripts; some exports only one of them.
            "first_name_fr": first_fr if scripts < 0.93 else "",
            "last_name_fr": last_fr.upper() if scripts < 0.93 else "",
            "first_name_ar": first_ar if scripts >= 0.05 else "",
            "last_name_ar": last_ar if scripts >= 0.05 else "",
            "birth_date": self.date_text(registered_at - timedelta(days=age_days)),
        }

    def organisation(
        self, category: str, sector_code: str, commune_fr: str, commune_ar: str
    ) -> dict[str, str]:
        pick = self.random
        goods_fr, goods_ar = SECTOR_GOODS.get(sector_code, ("de l'artisanat", "للصناعة التقليدية"))
        if category == "cooperative":
            return {
                "legal_name_fr": f"Coopérative {commune_fr} {goods_fr}",
                "legal_name_ar": f"تعاونية {commune_ar} {goods_ar}",
                "ice": self.ice() if pick.random() < 0.5 else "",
            }
        last_fr, last_ar = pick.choice(LAST_NAMES)
        return {
            "legal_name_fr": f"{last_fr} Artisanat SARL",
            "legal_name_ar": f"شركة {last_ar} للصناعة التقليدية ش.م.م",
            "ice": self.ice(),
        }

    def ice(self) -> str:
        """15 digits whose value is a multiple of 97, as the published examples are."""
        base = self.random.randint(1, 99_999_999_999) * 100
        return f"{base + (-base) % 97:015d}"

    def phone(self) -> str:
        pick = self.random
        if pick.random() < 0.9:
            national = pick.choice(MOBILE_PREFIXES) + f"{pick.randint(0, 9_999_999):07d}"
        else:
            national = pick.choice(FIXED_PREFIXES) + f"{pick.randint(0, 99_999):05d}"
        pairs = " ".join(national[i : i + 2] for i in range(1, 9, 2))
        writing = pick.randrange(6)
        if writing == 0:
            return f"0{national[0]} {pairs}"
        if writing == 1:
            return f"0{national}"
        if writing == 2:
            return f"+212{national}"
        if writing == 3:
            return f"+212 {national[0]} {pairs}"
        if writing == 4:
            return f"00212{national}"
        return f"0{national[0]}-" + pairs.replace(" ", "-")

    def status(self) -> str:
        status = self.random.choices(("active", "suspended", "struck_off"), weights=(92, 5, 3))[0]
        return _FRENCH_STATUS[status] if self.french else status

    def date_text(self, day: date) -> str:
        return day.strftime("%d/%m/%Y") if self.french else day.isoformat()


def write_csv(stream: TextSink, generator: RegisterGenerator, count: int) -> None:
    """French exports use `;` and a byte order mark, as Excel in French writes them."""
    if generator.french:
        stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";" if generator.french else ",", lineterminator="\n")
    writer.writerow(generator.header())
    writer.writerows(generator.rows(count))


def write_xlsx(path: Path, generator: RegisterGenerator, count: int) -> None:
    """A write-only workbook: openpyxl streams the rows to disk instead of keeping them."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Registre" if generator.french else "Register")
    sheet.append(generator.header())
    for row in generator.rows(count):
        sheet.append(row)
    workbook.save(path)
