"""Words the synthetic catalog is written with, per sector and trade, in ar / fr / en / es.

Each entry is one word or phrase in the four languages of a listing, in the order
(French, Arabic, English, Spanish). Titles and descriptions combine an object of the trade with
one of its sector's materials, a colour, sometimes a motif, and the sector's techniques. The
Arabic phrases are built to need no agreement with the noun ("من الصوف", "باللون الأحمر",
"بزخارف هندسية"), so every combination reads correctly.
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


def _piece(fr: str, ar: str, en: str, es: str, low: int, high: int, trades: str = "") -> Piece:
    return Piece((fr, ar, en, es), low, high, tuple(trades.split()))


SECTORS: Final[dict[str, SectorWords]] = {
    "S01": SectorWords(
        pieces=(
            _piece("Tajine", "طاجين", "Tagine", "Tajín", 80, 600, "T01 T02 T03 T04 T05"),
            _piece(
                "Plat à couscous",
                "قصعة",
                "Couscous dish",
                "Fuente de cuscús",
                150,
                900,
                "T01 T02 T04 T05",
            ),
            _piece("Bol", "زلافة", "Bowl", "Cuenco", 40, 250, "T01 T04 T05"),
            _piece("Assiette", "صحن", "Plate", "Plato", 50, 300, "T01 T04 T05"),
            _piece("Jarre", "خابية", "Jar", "Tinaja", 200, 2500, "T03 T06 T07"),
            _piece("Vase", "مزهرية", "Vase", "Jarrón", 120, 1500, "T04 T05 T06"),
            _piece("Pot de fleurs", "أصيص", "Flower pot", "Maceta", 60, 800, "T07"),
            _piece("Brasero", "مجمر", "Brazier", "Brasero", 80, 400, "T08"),
            _piece("Encensoir", "مبخرة", "Incense burner", "Incensario", 40, 250, "T08"),
            _piece("Derbouka", "دربوكة", "Darbuka drum", "Darbuka", 150, 900, "T09"),
            _piece(
                "Panneau de zellige",
                "لوحة زليج",
                "Zellige panel",
                "Panel de zellige",
                600,
                8000,
                "T10 T11",
            ),
            _piece(
                "Table en zellige",
                "طاولة زليج",
                "Zellige table",
                "Mesa de zellige",
                1500,
                9000,
                "T12",
            ),
            _piece(
                "Fontaine murale",
                "خصة حائطية",
                "Wall fountain",
                "Fuente de pared",
                3000,
                25000,
                "T12",
            ),
            _piece(
                "Carreaux de bejmat", "بجمات", "Bejmat tiles", "Baldosas bejmat", 300, 3000, "T13"
            ),
            _piece(
                "Tuiles vernissées",
                "قرمود مزجج",
                "Glazed roof tiles",
                "Tejas vidriadas",
                400,
                4000,
                "T14",
            ),
            _piece("Vasque", "مغسلة", "Washbasin", "Lavabo", 800, 4000, "T15"),
            _piece("Lampe", "مصباح", "Lamp", "Lámpara", 250, 1800, "T16"),
        ),
        materials=(
            ("terre cuite", "الفخار", "terracotta", "terracota"),
            ("céramique émaillée", "الخزف المزجج", "glazed ceramic", "cerámica esmaltada"),
            ("argile de Safi", "طين آسفي", "Safi clay", "arcilla de Safi"),
            ("céramique", "الخزف", "ceramic", "cerámica"),
        ),
        techniques=(
            ("tournage", "التشكيل على الدولاب", "wheel throwing", "torneado"),
            ("modelage à la main", "التشكيل اليدوي", "hand building", "modelado a mano"),
            ("émaillage", "التزجيج", "glazing", "esmaltado"),
            ("peinture au pinceau", "الرسم بالفرشاة", "hand painting", "pintura a pincel"),
            (
                "cuisson au four à bois",
                "الحرق في فرن تقليدي",
                "wood firing",
                "cocción en horno de leña",
            ),
        ),
        length_mm=(100, 900),
        weight_grams=(300, 15000),
        made_to_order_share=0.2,
    ),
    "S02": SectorWords(
        pieces=(
            _piece("Vasque", "حوض", "Basin", "Pila", 900, 6000, "T01 T03 T08"),
            _piece("Plateau", "صينية", "Tray", "Bandeja", 150, 900, "T03 T04"),
            _piece("Bougeoir", "شمعدان", "Candle holder", "Candelabro", 80, 500, "T03 T04 T05"),
            _piece("Mortier", "مهراز", "Mortar", "Mortero", 100, 600, "T01 T03"),
            _piece("Sculpture", "منحوتة", "Sculpture", "Escultura", 500, 8000, "T02"),
            _piece(
                "Fossile poli", "أحفورة مصقولة", "Polished fossil", "Fósil pulido", 100, 1500, "T05"
            ),
            _piece(
                "Plaque gravée", "لوحة منقوشة", "Engraved plaque", "Placa grabada", 300, 2500, "T06"
            ),
            _piece("Mosaïque", "فسيفساء", "Mosaic", "Mosaico", 800, 9000, "T07"),
            _piece("Fontaine", "نافورة", "Fountain", "Fuente", 4000, 30000, "T08"),
            _piece("Moulin à main", "رحى", "Hand mill", "Molino de mano", 400, 1500, "T09"),
            _piece(
                "Panneau de plâtre sculpté",
                "لوحة جبس منقوش",
                "Carved plaster panel",
                "Panel de yeso tallado",
                600,
                5000,
                "T10 T11",
            ),
            _piece("Rosace", "وردة جبسية", "Ceiling rose", "Rosetón", 200, 1500, "T11"),
            _piece(
                "Vasque en tadelakt",
                "حوض تادلاكت",
                "Tadelakt basin",
                "Lavabo de tadelakt",
                1200,
                6000,
                "T12",
            ),
            _piece("Jardinière", "حوض أزهار", "Planter", "Jardinera", 300, 1800, "T13"),
        ),
        materials=(
            ("marbre", "الرخام", "marble", "mármol"),
            ("pierre", "الحجر", "stone", "piedra"),
            ("onyx", "الجزع", "onyx", "ónice"),
            ("plâtre", "الجبس", "plaster", "yeso"),
            ("albâtre", "المرمر", "alabaster", "alabastro"),
        ),
        techniques=(
            ("taille à la main", "النحت اليدوي", "hand carving", "tallado a mano"),
            ("polissage", "الصقل", "polishing", "pulido"),
            ("gravure", "النقش", "engraving", "grabado"),
            ("sculpture au ciseau", "النقش بالإزميل", "chisel carving", "talla a cincel"),
        ),
        length_mm=(100, 1200),
        weight_grams=(500, 60000),
        made_to_order_share=0.35,
    ),
    "S03": SectorWords(
        pieces=(
            _piece("Porte", "باب", "Door", "Puerta", 3000, 25000, "T01"),
            _piece("Moucharabieh", "مشربية", "Mashrabiya screen", "Celosía", 1200, 9000, "T02"),
            _piece(
                "Plafond peint",
                "سقف مزوق",
                "Painted ceiling panel",
                "Techo pintado",
                2000,
                15000,
                "T08 T03",
            ),
            _piece(
                "Panneau sculpté",
                "لوحة خشبية منقوشة",
                "Carved panel",
                "Panel tallado",
                800,
                6000,
                "T03 T05",
            ),
            _piece("Table basse", "مائدة", "Coffee table", "Mesa baja", 1200, 7000, "T04 T06"),
            _piece("Tabouret", "كرسي صغير", "Stool", "Taburete", 300, 1500, "T04 T09"),
            _piece("Boîte", "علبة", "Box", "Caja", 100, 900, "T06 T07 T12"),
            _piece("Coffre", "صندوق", "Chest", "Cofre", 900, 6000, "T12 T04"),
            _piece("Plateau", "صينية", "Tray", "Bandeja", 150, 900, "T07 T08 T10"),
            _piece("Cuillère", "ملعقة", "Spoon", "Cuchara", 20, 120, "T10 T11"),
            _piece(
                "Planche à découper",
                "لوح التقطيع",
                "Chopping board",
                "Tabla de cortar",
                60,
                350,
                "T10 T11",
            ),
            _piece("Saladier", "زلافة كبيرة", "Salad bowl", "Ensaladera", 120, 600, "T09 T11"),
            _piece("Miroir", "مرآة", "Mirror", "Espejo", 300, 2500, "T13"),
            _piece("Cadre", "إطار", "Frame", "Marco", 120, 900, "T13"),
            _piece("Oud", "عود", "Oud", "Laúd", 1500, 9000, "T14"),
            _piece("Guembri", "كنبري", "Guembri", "Guembri", 900, 4000, "T14"),
            _piece("Jeu d'échecs", "رقعة شطرنج", "Chess set", "Ajedrez", 300, 2000, "T15"),
            _piece("Jouet", "لعبة", "Toy", "Juguete", 50, 400, "T16"),
        ),
        materials=(
            ("thuya", "العرعار", "thuya wood", "madera de tuya"),
            ("cèdre", "الأرز", "cedar", "cedro"),
            ("noyer", "الجوز", "walnut", "nogal"),
            ("olivier", "خشب الزيتون", "olive wood", "olivo"),
            ("citronnier", "خشب الليمون", "lemonwood", "limonero"),
        ),
        techniques=(
            ("sculpture", "النقش على الخشب", "carving", "talla"),
            ("marqueterie", "الترصيع", "marquetry", "marquetería"),
            ("tournage", "الخراطة", "turning", "torneado"),
            ("peinture zouaq", "التزواق", "zouaq painting", "pintura zouaq"),
        ),
        length_mm=(150, 2200),
        weight_grams=(100, 40000),
        made_to_order_share=0.4,
    ),
    "S04": SectorWords(
        pieces=(
            _piece("Lanterne", "فانوس", "Lantern", "Farol", 250, 2500, "T06 T07"),
            _piece("Théière", "براد", "Teapot", "Tetera", 180, 1500, "T01 T03 T05"),
            _piece("Plateau", "صينية", "Tray", "Bandeja", 250, 3000, "T01 T02 T03"),
            _piece("Bassine", "طست", "Basin", "Palangana", 300, 2000, "T04"),
            _piece("Chaudron", "قدر نحاسي", "Cauldron", "Caldero", 400, 2500, "T04"),
            _piece("Lustre", "ثريا", "Chandelier", "Lámpara de techo", 900, 9000, "T06"),
            _piece("Applique", "مصباح حائطي", "Wall lamp", "Aplique", 300, 1800, "T06 T07"),
            _piece("Encensoir", "مبخرة", "Incense burner", "Incensario", 150, 900, "T01 T02 T05"),
            _piece("Sculpture", "منحوتة", "Sculpture", "Escultura", 500, 5000, "T08"),
            _piece("Chaise", "كرسي", "Chair", "Silla", 500, 2500, "T09"),
            _piece("Grille de fenêtre", "شباك", "Window grille", "Reja", 1200, 8000, "T10 T08"),
            _piece("Portail", "بوابة", "Gate", "Portón", 3000, 20000, "T10"),
            _piece(
                "Vase damasquiné",
                "مزهرية مكفتة",
                "Damascened vase",
                "Jarrón damasquinado",
                600,
                4000,
                "T11",
            ),
            _piece("Couteau", "سكين", "Knife", "Cuchillo", 100, 900, "T12"),
            _piece("Heurtoir", "مطرقة باب", "Door knocker", "Aldaba", 150, 900, "T13"),
            _piece(
                "Miroir ciselé",
                "مرآة منقوشة",
                "Chased mirror",
                "Espejo cincelado",
                400,
                3000,
                "T14",
            ),
        ),
        materials=(
            ("cuivre", "النحاس", "copper", "cobre"),
            ("laiton", "النحاس الأصفر", "brass", "latón"),
            ("fer forgé", "الحديد المطروق", "wrought iron", "hierro forjado"),
            ("métal argenté", "المعدن المفضض", "silver-plated metal", "metal plateado"),
        ),
        techniques=(
            ("ciselure", "النقش", "chasing", "cincelado"),
            ("martelage", "الطرق", "hammering", "martillado"),
            ("ajourage", "التخريم", "piercing", "calado"),
            ("forge", "الحدادة", "forging", "forja"),
        ),
        length_mm=(100, 1800),
        weight_grams=(200, 30000),
        made_to_order_share=0.3,
    ),
    "S05": SectorWords(
        pieces=(
            _piece("Bague", "خاتم", "Ring", "Anillo", 150, 3000),
            _piece("Bracelet", "سوار", "Bracelet", "Pulsera", 200, 5000),
            _piece("Collier", "قلادة", "Necklace", "Collar", 300, 8000),
            _piece("Boucles d'oreilles", "أقراط", "Earrings", "Pendientes", 150, 3000),
            _piece("Pendentif", "دلاية", "Pendant", "Colgante", 120, 2500),
            _piece("Fibule", "خلالة", "Fibula brooch", "Fíbula", 300, 4000, "T01 T03 T11"),
            _piece("Khamsa", "خميسة", "Khamsa pendant", "Colgante jamsa", 100, 1500, "T01 T11 T12"),
            _piece("Diadème", "تاج", "Tiara", "Diadema", 2000, 30000, "T02 T03"),
            _piece(
                "Ceinture de mariée", "مضمة", "Bridal belt", "Cinturón nupcial", 3000, 40000, "T03"
            ),
            _piece("Boîte à khôl", "مكحلة", "Kohl box", "Caja de kohl", 150, 1200, "T10 T11"),
            _piece(
                "Théière en argent",
                "براد فضي",
                "Silver teapot",
                "Tetera de plata",
                4000,
                30000,
                "T10",
            ),
        ),
        materials=(
            ("argent", "الفضة", "silver", "plata"),
            ("or", "الذهب", "gold", "oro"),
            ("ambre", "العنبر", "amber", "ámbar"),
            ("corail", "المرجان", "coral", "coral"),
            ("émail", "المينا", "enamel", "esmalte"),
        ),
        techniques=(
            ("filigrane", "التخريم الدقيق", "filigree", "filigrana"),
            ("émaillage", "التلوين بالمينا", "enamelling", "esmaltado"),
            ("cire perdue", "الصب بالشمع المفقود", "lost-wax casting", "cera perdida"),
            ("gravure", "النقش", "engraving", "grabado"),
        ),
        length_mm=(15, 400),
        weight_grams=(5, 800),
        made_to_order_share=0.25,
    ),
    "S06": SectorWords(
        pieces=(
            _piece("Sac", "حقيبة", "Bag", "Bolso", 300, 2500, "T03 T04 T11"),
            _piece("Portefeuille", "محفظة", "Wallet", "Cartera", 120, 700, "T03"),
            _piece("Pouf", "بوف", "Pouf", "Puf", 350, 1500, "T14 T12"),
            _piece("Babouches", "بلغة", "Babouche slippers", "Babuchas", 150, 700, "T06 T07"),
            _piece("Chaussures", "أحذية", "Shoes", "Zapatos", 400, 1500, "T08"),
            _piece("Selle", "سرج", "Saddle", "Silla de montar", 3000, 20000, "T09 T10"),
            _piece("Ceinture", "حزام", "Belt", "Cinturón", 150, 700, "T15"),
            _piece("Veste", "سترة", "Jacket", "Chaqueta", 1200, 5000, "T15"),
            _piece("Coffret gainé", "علبة مغلفة", "Covered box", "Caja forrada", 200, 1200, "T05"),
            _piece(
                "Carnet relié",
                "دفتر مجلد",
                "Bound notebook",
                "Cuaderno encuadernado",
                100,
                600,
                "T13",
            ),
            _piece(
                "Peau de mouton",
                "هيضورة",
                "Sheepskin rug",
                "Piel de cordero",
                300,
                1500,
                "T16 T01 T02",
            ),
            _piece("Coussin", "وسادة", "Cushion", "Cojín", 200, 900, "T11 T12"),
        ),
        materials=(
            ("cuir de chèvre", "جلد الماعز", "goatskin", "piel de cabra"),
            ("cuir de vachette", "جلد البقر", "cowhide", "piel de vaca"),
            ("cuir tanné à Fès", "جلد مدبوغ في فاس", "Fez-tanned leather", "cuero curtido en Fez"),
            ("cuir de mouton", "جلد الغنم", "sheep leather", "piel de oveja"),
        ),
        techniques=(
            ("tannage végétal", "الدباغة النباتية", "vegetable tanning", "curtido vegetal"),
            (
                "broderie au fil de soie",
                "التطريز بخيط الحرير",
                "silk-thread embroidery",
                "bordado con hilo de seda",
            ),
            ("couture main", "الخياطة اليدوية", "hand stitching", "cosido a mano"),
            ("repoussé", "النقش البارز", "embossing", "repujado"),
        ),
        length_mm=(100, 900),
        weight_grams=(80, 6000),
        made_to_order_share=0.25,
    ),
    "S07": SectorWords(
        pieces=(
            _piece("Tapis", "زربية", "Rug", "Alfombra", 800, 15000, "T01 T02 T03 T04 T05"),
            _piece("Kilim", "حنبل", "Kilim", "Kilim", 600, 6000, "T03 T04"),
            _piece(
                "Tapis boucherouite",
                "زربية بوشرويط",
                "Boucherouite rug",
                "Alfombra boucherouite",
                400,
                3000,
                "T05",
            ),
            _piece("Couverture", "غطاء", "Blanket", "Manta", 400, 3000, "T06"),
            _piece(
                "Handira", "حنديرة", "Handira wedding blanket", "Manta handira", 900, 5000, "T06"
            ),
            _piece("Coussin", "وسادة", "Cushion", "Cojín", 120, 600, "T08 T09 T17"),
            _piece("Nappe", "مفرش", "Tablecloth", "Mantel", 200, 1200, "T09"),
            _piece("Fouta", "فوطة", "Fouta towel", "Toalla fouta", 80, 350, "T10"),
            _piece("Plaid", "بطانية", "Throw", "Plaid", 300, 1500, "T06 T08 T09"),
            _piece("Tenture murale", "ستارة حائطية", "Wall hanging", "Tapiz", 400, 3000, "T09 T11"),
            _piece("Sac tissé", "حقيبة منسوجة", "Woven bag", "Bolso tejido", 150, 900, "T12"),
            _piece("Pelote de laine", "كبة صوف", "Skein of yarn", "Madeja", 40, 250, "T13 T14 T15"),
            _piece("Tarbouche", "طربوش", "Fez hat", "Fez", 100, 500, "T16"),
            _piece(
                "Étoffe de djellaba",
                "ثوب الجلابة",
                "Djellaba cloth",
                "Tela de chilaba",
                300,
                1500,
                "T07",
            ),
            _piece(
                "Banquette marocaine",
                "صالون مغربي",
                "Moroccan sofa",
                "Sofá marroquí",
                3000,
                20000,
                "T17",
            ),
            _piece("Tente", "خيمة", "Tent", "Jaima", 5000, 30000, "T11"),
        ),
        materials=(
            ("laine", "الصوف", "wool", "lana"),
            ("coton", "القطن", "cotton", "algodón"),
            ("soie de cactus", "الصبرة", "cactus silk", "seda de cactus"),
            (
                "laine teinte au henné",
                "الصوف المصبوغ بالحناء",
                "henna-dyed wool",
                "lana teñida con henna",
            ),
        ),
        techniques=(
            ("nœud berbère", "العقدة الأمازيغية", "Berber knotting", "nudo bereber"),
            ("tissage à plat", "النسج المسطح", "flat weaving", "tejido plano"),
            ("teinture naturelle", "الصباغة الطبيعية", "natural dyeing", "tinte natural"),
            (
                "métier à tisser traditionnel",
                "المنسج التقليدي",
                "traditional loom",
                "telar tradicional",
            ),
        ),
        length_mm=(400, 4000),
        weight_grams=(200, 25000),
        made_to_order_share=0.3,
    ),
    "S08": SectorWords(
        pieces=(
            _piece("Caftan", "قفطان", "Kaftan", "Caftán", 1500, 15000, "T01"),
            _piece("Takchita", "تكشيطة", "Takchita", "Takchita", 2500, 25000, "T01"),
            _piece("Djellaba", "جلابة", "Djellaba", "Chilaba", 600, 4000, "T02"),
            _piece("Burnous", "سلهام", "Burnous", "Albornoz", 1200, 8000, "T03"),
            _piece("Gandoura", "قندورة", "Gandoura", "Gandora", 300, 1500, "T04"),
            _piece("Jabador", "جابادور", "Jabador", "Jabador", 600, 3000, "T04"),
            _piece("Melhfa", "ملحفة", "Melhfa", "Melhfa", 400, 2000, "T05 T06"),
            _piece("Haïk", "حايك", "Haik", "Jaique", 500, 2500, "T06"),
            _piece(
                "Nappe brodée",
                "مفرش مطرز",
                "Embroidered tablecloth",
                "Mantel bordado",
                300,
                2500,
                "T07 T09 T13",
            ),
            _piece(
                "Coussin brodé",
                "وسادة مطرزة",
                "Embroidered cushion",
                "Cojín bordado",
                150,
                800,
                "T07 T08 T09 T13",
            ),
            _piece(
                "Ceinture de caftan",
                "حزام القفطان",
                "Kaftan belt",
                "Cinturón de caftán",
                400,
                6000,
                "T08 T12",
            ),
            _piece("Boutons aqad", "العقاد", "Aqad buttons", "Botones aqad", 50, 400, "T11"),
            _piece(
                "Pochette brodée",
                "حقيبة يد مطرزة",
                "Embroidered clutch",
                "Bolso bordado",
                150,
                900,
                "T10 T14",
            ),
            _piece("Pull", "كنزة", "Jumper", "Jersey", 200, 900, "T15"),
            _piece("Bonnet", "طاقية", "Knitted hat", "Gorro", 60, 300, "T15"),
            _piece(
                "Serviette brodée",
                "منشفة مطرزة",
                "Embroidered towel",
                "Toalla bordada",
                80,
                400,
                "T13",
            ),
        ),
        materials=(
            ("soie", "الحرير", "silk", "seda"),
            ("velours", "المخمل", "velvet", "terciopelo"),
            ("coton", "القطن", "cotton", "algodón"),
            ("fil d'or", "خيط الذهب", "gold thread", "hilo de oro"),
            ("laine", "الصوف", "wool", "lana"),
            ("lin", "الكتان", "linen", "lino"),
        ),
        techniques=(
            ("broderie de Fès", "الطرز الفاسي", "Fez embroidery", "bordado de Fez"),
            ("broderie de Rabat", "الطرز الرباطي", "Rabat embroidery", "bordado de Rabat"),
            ("sfifa", "السفيفة", "sfifa braiding", "trenzado sfifa"),
            ("couture main", "الخياطة اليدوية", "hand sewing", "costura a mano"),
            ("perlage", "الترصيع بالخرز", "beadwork", "abalorios"),
        ),
        length_mm=(200, 1600),
        weight_grams=(100, 3000),
        made_to_order_share=0.45,
    ),
    "S09": SectorWords(
        pieces=(
            _piece("Panier", "سلة", "Basket", "Cesta", 60, 500, "T01 T03 T05"),
            _piece("Couffin", "قفة", "Market basket", "Capazo", 50, 350, "T01 T04 T05"),
            _piece("Éventail", "مروحة", "Hand fan", "Abanico", 20, 120, "T04"),
            _piece("Chapeau de paille", "ترازة", "Straw hat", "Sombrero de paja", 60, 400, "T06"),
            _piece("Tbaq", "طبق", "Bread basket", "Panera tbaq", 120, 800, "T07"),
            _piece("Natte", "حصير", "Mat", "Estera", 200, 1500, "T08 T02"),
            _piece("Panier de bât", "شواري", "Pannier", "Serón", 150, 700, "T09"),
            _piece("Corde", "حبل", "Rope", "Cuerda", 30, 200, "T10"),
            _piece("Balai", "مكنسة", "Broom", "Escoba", 25, 150, "T11"),
            _piece("Fauteuil", "أريكة", "Armchair", "Sillón", 800, 4000, "T12"),
            _piece("Suspension", "ثريا", "Pendant lamp", "Lámpara colgante", 200, 1500, "T13"),
            _piece("Sac", "حقيبة", "Bag", "Bolso", 120, 700, "T05"),
        ),
        materials=(
            ("doum", "الدوم", "doum palm", "palmito"),
            ("alfa", "الحلفاء", "esparto", "esparto"),
            ("osier", "الخيزران", "wicker", "mimbre"),
            ("raphia", "الرافيا", "raffia", "rafia"),
            ("feuilles de palmier", "سعف النخيل", "palm leaves", "hojas de palmera"),
            ("jonc", "السمار", "rush", "junco"),
        ),
        techniques=(
            ("tressage", "الضفر", "plaiting", "trenzado"),
            ("vannerie spiralée", "النسج الحلزوني", "coiled basketry", "cestería en espiral"),
            ("couture à l'aiguille", "الخياطة بالإبرة", "needle stitching", "cosido con aguja"),
        ),
        length_mm=(150, 1500),
        weight_grams=(50, 8000),
        made_to_order_share=0.2,
    ),
}

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
