"""Where the synthetic register's artisans live and what their sectors make."""

from __future__ import annotations

from typing import Final

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
