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

from souk.registry.importing.columns import COLUMNS

REGISTER_LAUNCH: Final = date(2022, 2, 21)

# (French, Arabic) pairs, transliterated the way Moroccan civil records usually write them.
FIRST_NAMES: Final[tuple[tuple[str, str], ...]] = (
    ("Mohamed", "محمد"),
    ("Ahmed", "أحمد"),
    ("Abdellah", "عبد الله"),
    ("Youssef", "يوسف"),
    ("Hassan", "حسن"),
    ("Hussein", "حسين"),
    ("Omar", "عمر"),
    ("Ali", "علي"),
    ("Brahim", "إبراهيم"),
    ("Mustapha", "مصطفى"),
    ("Rachid", "رشيد"),
    ("Said", "سعيد"),
    ("Khalid", "خالد"),
    ("Karim", "كريم"),
    ("Hamid", "حميد"),
    ("Driss", "إدريس"),
    ("Abdelkader", "عبد القادر"),
    ("Abderrahim", "عبد الرحيم"),
    ("Abdelaziz", "عبد العزيز"),
    ("Lahcen", "لحسن"),
    ("Larbi", "العربي"),
    ("Mbarek", "امبارك"),
    ("Jamal", "جمال"),
    ("Noureddine", "نور الدين"),
    ("Aziz", "عزيز"),
    ("Mehdi", "المهدي"),
    ("Hicham", "هشام"),
    ("Nabil", "نبيل"),
    ("Adil", "عادل"),
    ("Samir", "سمير"),
    ("Tarik", "طارق"),
    ("Yassine", "ياسين"),
    ("Anas", "أنس"),
    ("Ayoub", "أيوب"),
    ("Ismail", "إسماعيل"),
    ("Othmane", "عثمان"),
    ("Zakaria", "زكرياء"),
    ("Hamza", "حمزة"),
    ("Bilal", "بلال"),
    ("Soufiane", "سفيان"),
    ("Redouane", "رضوان"),
    ("Mounir", "منير"),
    ("Jawad", "جواد"),
    ("Fouad", "فؤاد"),
    ("Ilyas", "إلياس"),
    ("Amine", "أمين"),
    ("Fatima", "فاطمة"),
    ("Khadija", "خديجة"),
    ("Aicha", "عائشة"),
    ("Zineb", "زينب"),
    ("Meryem", "مريم"),
    ("Naima", "نعيمة"),
    ("Malika", "مليكة"),
    ("Rachida", "رشيدة"),
    ("Saida", "سعيدة"),
    ("Latifa", "لطيفة"),
    ("Fatiha", "فتيحة"),
    ("Nadia", "نادية"),
    ("Karima", "كريمة"),
    ("Hafida", "حفيظة"),
    ("Zahra", "الزهرة"),
    ("Hanane", "حنان"),
    ("Samira", "سميرة"),
    ("Souad", "سعاد"),
    ("Loubna", "لبنى"),
    ("Asmae", "أسماء"),
    ("Hajar", "هاجر"),
    ("Sanae", "سناء"),
    ("Siham", "سهام"),
    ("Imane", "إيمان"),
    ("Ilham", "إلهام"),
    ("Nora", "نورة"),
    ("Houda", "هدى"),
    ("Jamila", "جميلة"),
    ("Hasna", "حسناء"),
    ("Salma", "سلمى"),
    ("Yasmine", "ياسمين"),
    ("Ghizlane", "غزلان"),
    ("Kawtar", "كوثر"),
    ("Oumaima", "أميمة"),
    ("Ikram", "إكرام"),
    ("Mina", "مينة"),
    ("Itto", "إيطو"),
    ("Touria", "ثريا"),
)

LAST_NAMES: Final[tuple[tuple[str, str], ...]] = (
    ("Alaoui", "العلوي"),
    ("Idrissi", "الإدريسي"),
    ("Benjelloun", "بنجلون"),
    ("Bennani", "بناني"),
    ("Tazi", "التازي"),
    ("Berrada", "برادة"),
    ("Fassi", "الفاسي"),
    ("Lahlou", "لحلو"),
    ("Sqalli", "السقلي"),
    ("Kettani", "الكتاني"),
    ("Chraibi", "الشرايبي"),
    ("Amrani", "العمراني"),
    ("Benani", "بنعني"),
    ("Bouzidi", "البوزيدي"),
    ("Naciri", "الناصري"),
    ("Mansouri", "المنصوري"),
    ("Ouazzani", "الوزاني"),
    ("Slaoui", "السلاوي"),
    ("Rifi", "الريفي"),
    ("Soussi", "السوسي"),
    ("Marrakchi", "المراكشي"),
    ("Tanjaoui", "الطنجاوي"),
    ("Doukkali", "الدكالي"),
    ("Zemmouri", "الزموري"),
    ("Hilali", "الهلالي"),
    ("Ghazi", "الغازي"),
    ("El Amrani", "العمراني"),
    ("El Idrissi", "الإدريسي"),
    ("Boukhari", "البخاري"),
    ("Cherkaoui", "الشرقاوي"),
    ("Belkadi", "بلقاضي"),
    ("Bensaid", "بنسعيد"),
    ("Benali", "بنعلي"),
    ("Benmoussa", "بنموسى"),
    ("Bouazza", "بوعزة"),
    ("Hajji", "الحاجي"),
    ("Hamdaoui", "الحمداوي"),
    ("Jebli", "الجبلي"),
    ("Kabbaj", "القباج"),
    ("Lamrani", "لمراني"),
    ("Mekouar", "مكوار"),
    ("Mouline", "مولين"),
    ("Ouali", "الوالي"),
    ("Saadi", "السعدي"),
    ("Tahiri", "الطاهري"),
    ("Talbi", "الطالبي"),
    ("Zaki", "زكي"),
    ("Ait Ali", "آيت علي"),
    ("Ait Oufella", "آيت أوفلة"),
    ("Ait Baha", "آيت باها"),
    ("Ouchen", "أوشن"),
    ("Oubaha", "أوباها"),
    ("Amzil", "أمزيل"),
    ("Akhnouch", "أخنوش"),
    ("Aberkane", "أبركان"),
    ("Azzouzi", "العزوزي"),
    ("Bakkali", "البقالي"),
    ("Chaoui", "الشاوي"),
    ("Dahbi", "الذهبي"),
    ("Ennaji", "الناجي"),
    ("Filali", "الفيلالي"),
    ("Guerraoui", "الكراوي"),
    ("Haddad", "الحداد"),
    ("Jabri", "الجابري"),
    ("Khattabi", "الخطابي"),
    ("Lazrak", "لزرق"),
    ("Moussaoui", "الموساوي"),
    ("Najjar", "النجار"),
    ("Oudghiri", "الودغيري"),
    ("Qadiri", "القادري"),
    ("Raji", "الراجي"),
    ("Sabri", "صبري"),
    ("Tounsi", "التونسي"),
    ("Yacoubi", "اليعقوبي"),
    ("Zerouali", "الزروالي"),
    ("Bouchta", "بوشتى"),
    ("Mernissi", "المرنيسي"),
    ("Sebti", "السبتي"),
    ("Benkirane", "بنكيران"),
    ("Boutaleb", "بوطالب"),
    ("Dbagh", "الدباغ"),
)

# Per region (code, weight): towns with (province, commune in French, commune in Arabic).
# Weights lean on the craft regions (Marrakech-Safi, Fès-Meknès, Drâa-Tafilalet, Souss-Massa).
REGIONS: Final[dict[str, tuple[int, tuple[tuple[str, str, str], ...]]]] = {
    "01": (
        8,
        (
            ("Tétouan", "Tétouan", "تطوان"),
            ("Chefchaouen", "Chefchaouen", "شفشاون"),
            ("Tanger-Assilah", "Tanger", "طنجة"),
            ("Al Hoceïma", "Al Hoceïma", "الحسيمة"),
        ),
    ),
    "02": (
        5,
        (
            ("Oujda-Angad", "Oujda", "وجدة"),
            ("Figuig", "Figuig", "فجيج"),
            ("Nador", "Nador", "الناظور"),
            ("Berkane", "Berkane", "بركان"),
        ),
    ),
    "03": (
        14,
        (
            ("Fès", "Fès", "فاس"),
            ("Meknès", "Meknès", "مكناس"),
            ("Sefrou", "Sefrou", "صفرو"),
            ("Taza", "Taza", "تازة"),
            ("Ifrane", "Azrou", "أزرو"),
        ),
    ),
    "04": (
        10,
        (
            ("Salé", "Salé", "سلا"),
            ("Rabat", "Rabat", "الرباط"),
            ("Khémisset", "Tiflet", "تيفلت"),
            ("Kénitra", "Kénitra", "القنيطرة"),
        ),
    ),
    "05": (
        7,
        (
            ("Azilal", "Azilal", "أزيلال"),
            ("Khénifra", "Khénifra", "خنيفرة"),
            ("Béni Mellal", "Béni Mellal", "بني ملال"),
            ("Khouribga", "Boujad", "أبي الجعد"),
        ),
    ),
    "06": (
        11,
        (
            ("Casablanca", "Casablanca", "الدار البيضاء"),
            ("Settat", "Settat", "سطات"),
            ("El Jadida", "Azemmour", "أزمور"),
            ("Mohammedia", "Mohammedia", "المحمدية"),
        ),
    ),
    "07": (
        16,
        (
            ("Marrakech", "Marrakech", "مراكش"),
            ("Safi", "Safi", "آسفي"),
            ("Essaouira", "Essaouira", "الصويرة"),
            ("Al Haouz", "Tahannaout", "تحناوت"),
        ),
    ),
    "08": (
        9,
        (
            ("Errachidia", "Rissani", "الريصاني"),
            ("Ouarzazate", "Taznakht", "تازناخت"),
            ("Zagora", "Tamegroute", "تمكروت"),
            ("Midelt", "Midelt", "ميدلت"),
            ("Tinghir", "Tinghir", "تنغير"),
        ),
    ),
    "09": (
        10,
        (
            ("Tiznit", "Tiznit", "تزنيت"),
            ("Taroudant", "Taroudant", "تارودانت"),
            ("Agadir Ida-Outanane", "Agadir", "أكادير"),
            ("Chtouka Aït Baha", "Aït Baha", "آيت باها"),
        ),
    ),
    "10": (
        4,
        (
            ("Guelmim", "Guelmim", "كلميم"),
            ("Tan-Tan", "Tan-Tan", "طانطان"),
            ("Sidi Ifni", "Sidi Ifni", "سيدي إفني"),
        ),
    ),
    "11": (
        3,
        (
            ("Laâyoune", "Laâyoune", "العيون"),
            ("Boujdour", "Boujdour", "بوجدور"),
            ("Tarfaya", "Tarfaya", "طرفاية"),
        ),
    ),
    "12": (3, (("Oued Ed-Dahab", "Dakhla", "الداخلة"), ("Aousserd", "Bir Gandouz", "بئر كندوز"))),
}

# What a cooperative of each sector makes, as its legal name says it.
SECTOR_GOODS: Final[dict[str, tuple[str, str]]] = {
    "S01": ("de la poterie", "للفخار"),
    "S02": ("de la pierre et du plâtre", "للحجر والجبس"),
    "S03": ("du bois", "للخشب"),
    "S04": ("de la dinanderie", "للنحاسيات"),
    "S05": ("des bijoux", "للحلي"),
    "S06": ("du cuir", "للجلد"),
    "S07": ("des tapis", "للزرابي"),
    "S08": ("de la broderie", "للطرز"),
    "S09": ("de la vannerie", "للسلالة"),
    "S10": ("des métiers du bâtiment", "لحرف البناء"),
    "S11": ("de la réparation", "للإصلاح"),
    "S12": ("des soins et de l'esthétique", "للتجميل"),
    "S13": ("des métiers de bouche", "لحرف الطبخ"),
}

# Relative weight of a trade by sector: the production crafts that sell most (carpets,
# pottery, leather, clothing) dominate the register; service trades are a minority.
SECTOR_WEIGHTS: Final[dict[str, int]] = {
    "S01": 10,
    "S02": 5,
    "S03": 7,
    "S04": 6,
    "S05": 6,
    "S06": 9,
    "S07": 12,
    "S08": 9,
    "S09": 5,
    "S10": 2,
    "S11": 2,
    "S12": 2,
    "S13": 2,
}

CIN_PREFIXES: Final = (
    "A",
    "B",
    "BE",
    "BH",
    "BJ",
    "BK",
    "BL",
    "C",
    "CB",
    "CD",
    "D",
    "DA",
    "E",
    "EE",
    "F",
    "FA",
    "G",
    "GA",
    "H",
    "HA",
    "I",
    "IA",
    "J",
    "JA",
    "JB",
    "JC",
    "JE",
    "JH",
    "JK",
    "JM",
    "JT",
    "K",
    "KB",
    "L",
    "LA",
    "M",
    "MC",
    "N",
    "P",
    "PA",
    "PB",
    "Q",
    "R",
    "S",
    "SH",
    "T",
    "U",
    "UA",
    "V",
    "W",
    "WA",
    "X",
    "Y",
    "Z",
    "ZG",
    "ZT",
)

# Checked against phonenumbers' metadata for Morocco (6x and 7x mobiles, 5xxx fixed lines).
MOBILE_PREFIXES: Final = ("61", "62", "63", "64", "65", "66", "67", "70", "71", "76", "77", "78")
FIXED_PREFIXES: Final = ("5220", "5224", "5243", "5248", "5283", "5355", "5373", "5393")

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
