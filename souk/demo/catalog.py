"""Demo listings: eight per approved demo shop, in the shop's sector, with generated photos.

Listings go through the real use cases (create, submit, approve). Photos are zellige patterns
drawn with Pillow (demo.shops.draw_zellige), written directly and given their renditions at
once by the same function the task calls, so `make run` shows them without waiting for the
worker. Idempotent: a shop that already has listings is left as it is.
"""

from __future__ import annotations

import functools

from django.core.files.base import ContentFile

from souk.accounts.models import User
from souk.catalog import materials as vocabulary
from souk.catalog import services
from souk.catalog.models import Product, ProductPhoto, ProductStatus
from souk.catalog.services import ProductDetails
from souk.core.gallery import images, renditions
from souk.demo.shops import DEMO_ARTISAN_EMAIL, MODERATOR_EMAIL, draw_zellige
from souk.registry.models import Trade
from souk.shops.models import MemberRole, Shop, ShopStatus

LISTINGS_PER_SHOP = 8
# A few demo shops stop at a given step of the support path (docs/support.md): shop03 was paid
# out with four pieces (next: five pieces), shop08 with exactly five (just reached it), shop15
# sent two pieces still waiting for review (next: first piece published).
LISTINGS_OF = {"shop03@souk.example": 4, "shop08@souk.example": 5, "shop15@souk.example": 2}
NOT_APPROVED = frozenset({"shop15@souk.example"})
PHOTO_SIZE = (800, 600)

# Per sector: four pieces, as (French, Arabic, English, Spanish), and the materials.
PIECES: dict[str, tuple[tuple[tuple[str, str, str, str], ...], str]] = {
    "S01": (
        (
            ("Tajine", "طاجين", "Tagine", "Tajín"),
            ("Plat creux", "صحن عميق", "Deep dish", "Plato hondo"),
            ("Jarre", "جرة", "Jar", "Tinaja"),
            ("Bol", "زلافة", "Bowl", "Cuenco"),
        ),
        "argile, émail",
    ),
    "S02": (
        (
            ("Vasque", "حوض", "Basin", "Pila"),
            ("Plateau", "صينية", "Tray", "Bandeja"),
            ("Bougeoir", "شمعدان", "Candle holder", "Candelabro"),
            ("Dessous de plat", "قاعدة صحن", "Trivet", "Salvamanteles"),
        ),
        "marbre, pierre",
    ),
    "S03": (
        (
            ("Boîte", "علبة", "Box", "Caja"),
            ("Miroir", "مرآة", "Mirror", "Espejo"),
            ("Tabouret", "كرسي صغير", "Stool", "Taburete"),
            ("Plateau", "صينية", "Tray", "Bandeja"),
        ),
        "thuya, cèdre",
    ),
    "S04": (
        (
            ("Lanterne", "فانوس", "Lantern", "Farol"),
            ("Théière", "براد", "Teapot", "Tetera"),
            ("Plateau", "صينية", "Tray", "Bandeja"),
            ("Applique", "مصباح حائط", "Wall lamp", "Aplique"),
        ),
        "laiton, cuivre",
    ),
    "S05": (
        (
            ("Bracelet", "دملج", "Bracelet", "Pulsera"),
            ("Collier", "قلادة", "Necklace", "Collar"),
            ("Boucles d'oreilles", "أقراط", "Earrings", "Pendientes"),
            ("Fibule", "خلالة", "Fibula", "Fíbula"),
        ),
        "argent 925",
    ),
    "S06": (
        (
            ("Sac", "حقيبة", "Bag", "Bolso"),
            ("Babouches", "بلغة", "Babouche slippers", "Babuchas"),
            ("Pouf", "بوف", "Pouf", "Puf"),
            ("Portefeuille", "محفظة", "Wallet", "Cartera"),
        ),
        "cuir de chèvre",
    ),
    "S07": (
        (
            ("Tapis", "زربية", "Rug", "Alfombra"),
            ("Kilim", "حنبل", "Kilim", "Kilim"),
            ("Coussin", "وسادة", "Cushion", "Cojín"),
            ("Couverture", "بطانية", "Blanket", "Manta"),
        ),
        "laine",
    ),
    "S08": (
        (
            ("Caftan", "قفطان", "Kaftan", "Caftán"),
            ("Djellaba", "جلابة", "Djellaba", "Chilaba"),
            ("Nappe brodée", "مفرش مطرز", "Embroidered tablecloth", "Mantel bordado"),
            ("Gandoura", "ڭندورة", "Gandoura", "Gandura"),
        ),
        "coton, soie",
    ),
    "S09": (
        (
            ("Panier", "سلة", "Basket", "Cesta"),
            ("Chapeau", "قبعة", "Hat", "Sombrero"),
            ("Tbaq", "طبق", "Bread basket", "Panera"),
            ("Sac de plage", "حقيبة شاطئ", "Beach bag", "Bolsa de playa"),
        ),
        "doum, raphia",
    ),
}
STYLES = (
    ("bleu de Fès", "بالأزرق الفاسي", "in Fez blue", "azul de Fez"),
    ("naturel", "طبيعي", "natural", "natural"),
)
BASE_PRICES_MAD = {
    "S01": 250,
    "S02": 400,
    "S03": 600,
    "S04": 450,
    "S05": 700,
    "S06": 350,
    "S07": 2500,
    "S08": 1200,
    "S09": 180,
}


def seed() -> list[str]:
    """Give every approved demo shop its listings, unless it already has some."""
    moderator = User.objects.get(email=MODERATOR_EMAIL)
    created = 0
    shops = Shop.objects.filter(status=ShopStatus.APPROVED).select_related(
        "register_entry__trade", "register_entry__claimed_by", "region"
    )
    for shop in shops.order_by("pk"):
        if shop.register_entry.trade.sector_id not in PIECES or shop.products.exists():
            continue
        created += _seed_shop(shop, moderator=moderator)
    pending = Product.objects.filter(status=ProductStatus.PENDING_REVIEW).count()
    return [
        "",
        f"Demo listings: {Product.objects.filter(status=ProductStatus.ACTIVE).count()} on sale "
        f"({created} created now), {pending} waiting at /fr/products/moderation/ (moderator)",
    ]


def _seed_shop(shop: Shop, *, moderator: User) -> int:
    owner = shop.register_entry.claimed_by
    if owner is None:  # demo shops are all claimed; a hand-made one is skipped
        return 0
    sector = shop.register_entry.trade.sector_id
    pieces, materials = PIECES[sector]
    material_codes, other_materials = vocabulary.split_free_text(materials)
    trades = list(Trade.objects.filter(sector_id=sector, sells_goods=True).order_by("code"))
    trade = shop.register_entry.trade if shop.register_entry.trade.sells_goods else trades[0]
    makers = list(shop.members.exclude(role=MemberRole.MANAGER).order_by("pk"))
    is_demo_artisan = owner.email == DEMO_ARTISAN_EMAIL
    count = LISTINGS_OF.get(owner.email or "", LISTINGS_PER_SHOP)
    for index in range(count):
        noun = pieces[index % len(pieces)]
        style = STYLES[index // len(pieces) % len(STYLES)]
        made_to_order = index % 3 == 2
        product = services.create_product(
            shop=shop,
            actor=owner,
            details=ProductDetails(
                trade=trade,
                title_fr=f"{noun[0]} {style[0]}",
                title_ar=f"{noun[1]} {style[1]}",
                title_en=f"{style[2].capitalize()} {noun[2].lower()}"
                if not style[2].startswith("in ")
                else f"{noun[2]} {style[2]}",
                title_es=f"{noun[3]} {style[3]}" if index % 4 == 0 else "",
                description_fr=(
                    f"Pièce faite à la main par {shop.display_name}, {shop.region.name_fr}. "
                    "Chaque pièce est unique : de légères différences font son charme."
                ),
                description_ar=(
                    f"قطعة مصنوعة يدويا من طرف {shop.display_name}، {shop.region.name_ar}. "
                    "كل قطعة فريدة من نوعها."
                ),
                description_en=(
                    f"Handmade by {shop.display_name}, {shop.region.name_en}. "
                    "Every piece is unique: small differences are part of its charm."
                ),
                description_es=(
                    f"Hecho a mano por {shop.display_name}, {shop.region.name_es}."
                    if index % 4 == 0
                    else ""
                ),
                materials=other_materials,
                material_codes=tuple(material_codes),
                techniques="fait main",
                region=None,
                length_mm=200 + 50 * index,
                width_mm=150 + 30 * index,
                height_mm=80 + 20 * index,
                weight_grams=300 + 150 * index,
                price_amount=BASE_PRICES_MAD[sector] * (100 + 15 * index) // 10 * 10 * 10,
                stock_quantity=0 if made_to_order else 1 + index % 4,
                is_made_to_order=made_to_order,
                lead_time_days=14 if made_to_order else None,
                hs_code="",
                maker=makers[index % len(makers)] if makers else None,
            ),
        )
        # One pattern per sector and kind of piece: drawing and encoding 250 distinct images
        # would take most of a minute; each listing still gets its own files.
        pattern = int(sector[1:]) * 10 + index % len(pieces)
        _add_photo(product, pattern=pattern, name=f"{shop.pk:04d}-{index}", alt_text=noun[0])
        # The demo artisan keeps a draft and a listing waiting, to try both sides.
        if is_demo_artisan and index == LISTINGS_PER_SHOP - 1:
            continue
        services.submit_product(product=product, actor=owner)
        if (is_demo_artisan and index == LISTINGS_PER_SHOP - 2) or owner.email in NOT_APPROVED:
            continue
        services.moderate_product(product=product, moderator=moderator, action="approve")
    return count


@functools.cache
def _pattern(seed: int) -> tuple[bytes, int, int, tuple[images.Rendition, ...]]:
    width, height = PHOTO_SIZE
    content = draw_zellige(seed=seed, width=width, height=height)
    made = tuple(renditions.make_renditions(content.data, widths=ProductPhoto.rendition_widths))
    return content.data, content.width, content.height, made


def _add_photo(product: Product, *, pattern: int, name: str, alt_text: str) -> None:
    # Written directly: the image is ours, without metadata to strip (see demo.shops).
    data, width, height, made = _pattern(pattern)
    photo = ProductPhoto(product=product, width=width, height=height, position=0, alt_text=alt_text)
    photo.image.save(f"demo-{name}.webp", ContentFile(data), save=False)
    photo.save()
    renditions.generate_renditions(photo, made=made)
