"""Demo shops: the demo artisan's, about thirty more across sectors and regions, two waiting
for a moderator, and one unclaimed register entry to try the claim with.

Every shop goes through the real use cases (claim, profile, payout, KYC documents, submission,
approval), so the demo shows what the code does. Photos are zellige-like patterns drawn here
with Pillow: no photograph of anyone's work is copied. Idempotent: a shop that exists is left
as it is, so a second run changes nothing.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import random
from dataclasses import dataclass
from datetime import date
from itertools import cycle

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.core.gallery import renditions
from souk.demo.accounts import DEMO_PASSWORD
from souk.registry import services as registry
from souk.registry.models import Category, Region, RegisterEntry, Trade
from souk.shops import members, services, workshop
from souk.shops.models import KycKind, MemberRole, PayoutMethod, Shop, ShopPhoto, ShopStatus

APPROVED_SHOP_COUNT = 30
PENDING_SHOP_COUNT = 2
PHOTOS_PER_SHOP = 2
# Shop 6 is a cooperative (every sixth shop is): it gets two members besides its manager.
COOPERATIVE_WITH_MEMBERS = 6
DEMO_ARTISAN_EMAIL = "artisan@souk.example"
MODERATOR_EMAIL = "moderator@souk.example"
# Left unclaimed, printed by `make run`: open a shop with it on the artisan's path (/sell/).
UNCLAIMED_NUMBER, UNCLAIMED_CIN = "DEMO-0900", "AB900900"

FIRST_NAMES = (
    ("Fatima", "فاطمة"),
    ("Youssef", "يوسف"),
    ("Khadija", "خديجة"),
    ("Brahim", "إبراهيم"),
    ("Itto", "إيطو"),
    ("Hassan", "حسن"),
    ("Zineb", "زينب"),
    ("Lahcen", "لحسن"),
    ("Naima", "نعيمة"),
    ("Omar", "عمر"),
    ("Meryem", "مريم"),
    ("Driss", "إدريس"),
)
LAST_NAMES = (
    ("Bennani", "بناني"),
    ("Ait Ali", "آيت علي"),
    ("Tazi", "التازي"),
    ("Oubella", "أوبلا"),
    ("Alaoui", "العلوي"),
    ("Soussi", "السوسي"),
    ("Berrada", "برادة"),
    ("Amrani", "العمراني"),
    ("Fassi", "الفاسي"),
    ("Ouazzani", "الوزاني"),
    ("Rifi", "الريفي"),
    ("Doukkali", "الدكالي"),
)
CITIES = {
    "01": "Tétouan",
    "02": "Oujda",
    "03": "Fès",
    "04": "Salé",
    "05": "Khénifra",
    "06": "Casablanca",
    "07": "Safi",
    "08": "Tamegroute",
    "09": "Tiznit",
    "10": "Guelmim",
    "11": "Laâyoune",
    "12": "Dakhla",
}
# Zellige colours: background, then the star, the inner star and the centre.
PALETTES = (
    ("#f4efe6", "#1f5f8b", "#f2c14e", "#2e7d4f"),
    ("#fbf7f0", "#2e7d4f", "#ffffff", "#b5452f"),
    ("#1d3557", "#f1faee", "#e9c46a", "#2a9d8f"),
    ("#f7f1e3", "#8a3416", "#1f5f8b", "#f2c14e"),
    ("#efe9dd", "#264653", "#e76f51", "#e9c46a"),
    ("#fdfaf5", "#0b6e4f", "#1d4e89", "#f4d35e"),
)


@dataclass(frozen=True, slots=True)
class DemoShop:
    number: int
    email: str
    category: Category
    trade: Trade
    region: Region
    first_name: tuple[str, str]
    last_name: tuple[str, str]

    @property
    def register_number(self) -> str:
        return f"DEMO-{self.number:04d}"

    @property
    def cin(self) -> str:
        return f"JB{700000 + self.number:06d}"

    @property
    def city(self) -> str:
        return CITIES[self.region.code]

    @property
    def person_name(self) -> str:
        return f"{self.first_name[0]} {self.last_name[0]}"

    @property
    def is_person(self) -> bool:
        return self.category in {Category.ARTISAN, Category.MASTER_ARTISAN}

    @property
    def legal_name(self) -> tuple[str, str]:
        if self.category == Category.COOPERATIVE:
            return f"Coopérative {self.city} {self.last_name[0]}", f"تعاونية {self.last_name[1]}"
        if self.category == Category.COMPANY:
            return f"Maison {self.last_name[0]}", f"دار {self.last_name[1]}"
        return "", ""

    @property
    def display_name(self) -> str:
        if not self.is_person:
            return self.legal_name[0]
        # Some shops carry an Arabic name only, as many artisans would write it.
        if self.number % 4 == 0:
            return f"ورشة {self.first_name[1]} {self.last_name[1]}"
        return f"Atelier {self.person_name}"


def seed() -> list[str]:
    """Create the demo shops that do not exist yet; return the lines to print."""
    moderator = User.objects.get(email=MODERATOR_EMAIL)
    password = _DemoPassword()
    demo_artisan = User.objects.get(email=DEMO_ARTISAN_EMAIL)
    _seed_shop(_demo_artisan_shop(), owner=demo_artisan, moderator=moderator, password=password)
    shops = _demo_shops()
    for shop in shops:
        owner = _account(shop.email, shop.person_name, password)
        _seed_shop(shop, owner=owner, moderator=moderator, password=password)
    _unclaimed_entry()
    return [
        "",
        f"Demo shops: {Shop.objects.filter(status=ShopStatus.APPROVED).count()} open at "
        f"/fr/shops/, {Shop.objects.filter(status=ShopStatus.PENDING_REVIEW).count()} waiting "
        "at /fr/shops/moderation/ (moderator)",
        f"  shop owners: shop01@souk.example ... shop{len(shops):02d}@souk.example",
        f"  open a shop at /ar/sell/ or /fr/sell/: register number {UNCLAIMED_NUMBER}, "
        f"CIN {UNCLAIMED_CIN}, any free Moroccan mobile number (the SMS code is printed here)",
    ]


class _DemoPassword:
    """One PBKDF2 hash for every demo account: hashing thirty times would take half a minute."""

    def __init__(self) -> None:
        self._hash = ""

    def __str__(self) -> str:
        if not self._hash:
            self._hash = make_password(DEMO_PASSWORD)
        return self._hash


def _account(email: str, full_name: str, password: _DemoPassword) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email, full_name=full_name, password=str(password), preferred_language="fr"
        )
    if not user.has_role(Role.ARTISAN):
        accounts.grant_role(user=user, role=Role.ARTISAN)
    return user


def _demo_artisan_shop() -> DemoShop:
    return DemoShop(
        number=0,
        email=DEMO_ARTISAN_EMAIL,
        category=Category.MASTER_ARTISAN,
        trade=Trade.objects.get(code="S01-T01"),
        region=Region.objects.get(code="03"),
        first_name=("Fatima Zahra", "فاطمة الزهراء"),
        last_name=("Bennani", "بناني"),
    )


def _demo_shops() -> list[DemoShop]:
    """Shops spread over every sector that sells goods and every region, deterministically."""
    by_sector: dict[str, list[Trade]] = {}
    for trade in Trade.objects.filter(sells_goods=True, is_active=True).order_by("code"):
        by_sector.setdefault(trade.sector_id, []).append(trade)
    sectors = cycle(sorted(by_sector))
    regions = list(Region.objects.order_by("code"))
    shops = []
    for number in range(1, APPROVED_SHOP_COUNT + PENDING_SHOP_COUNT + 1):
        sector_trades = by_sector[next(sectors)]
        if number % 6 == 0:
            category = Category.COOPERATIVE
        elif number % 11 == 7:
            category = Category.COMPANY
        elif number % 5 == 3:
            category = Category.MASTER_ARTISAN
        else:
            category = Category.ARTISAN
        shops.append(
            DemoShop(
                number=number,
                email=f"shop{number:02d}@souk.example",
                category=category,
                trade=sector_trades[number % len(sector_trades)],
                region=regions[(number * 5) % len(regions)],
                # Shifted by one surname every dozen shops, so that no two owners share a name.
                first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(number * 5 + number // len(FIRST_NAMES)) % len(LAST_NAMES)],
            )
        )
    return shops


def _register_entry(shop: DemoShop) -> RegisterEntry:
    first, last = (shop.first_name, shop.last_name) if shop.is_person else (("", ""), ("", ""))
    values = {
        "category": shop.category,
        "cin": shop.cin,
        "first_name_fr": first[0],
        "first_name_ar": first[1],
        "last_name_fr": last[0],
        "last_name_ar": last[1],
        "legal_name_fr": shop.legal_name[0],
        "legal_name_ar": shop.legal_name[1],
        "ice": f"{shop.number:013d}00" if shop.category == Category.COMPANY else "",
        "trade": shop.trade,
        "region": shop.region,
        "commune": shop.city,
        "registered_at": date(2022, 3, 1 + shop.number % 28),
    }
    digest = hashlib.blake2b(
        repr(sorted((key, str(value)) for key, value in values.items())).encode(), digest_size=16
    ).hexdigest()
    entry, _created = RegisterEntry.objects.get_or_create(
        register_number=shop.register_number, defaults={**values, "content_hash": digest}
    )
    return entry


def _seed_shop(shop: DemoShop, *, owner: User, moderator: User, password: _DemoPassword) -> None:
    entry = _register_entry(shop)
    if entry.claimed_by_id is None:
        registry.claim_register_entry(
            user=owner, register_number=entry.register_number, cin=shop.cin, ip_address=None
        )
    created = Shop.objects.get(register_entry=entry)
    if created.status != ShopStatus.DRAFT:
        return
    trade = shop.trade
    years = 5 + shop.number % 30
    services.update_shop_profile(
        shop=created,
        actor=owner,
        display_name=shop.display_name,
        story_ar=(
            f"نمارس حرفة {trade.name_ar} في {shop.city} منذ {years} سنة. "
            "كل قطعة مصنوعة يدويا في الورشة، بمواد من المنطقة."
        ),
        story_fr=(
            f"Nous pratiquons le métier « {trade.name_fr} » à {shop.city} depuis {years} ans. "
            "Chaque pièce est faite à la main dans l'atelier, avec des matières de la région."
        ),
        # Every third shop has no English story: English visitors then read the French one.
        story_en=""
        if shop.number % 3 == 0
        else (
            f"We have practised the craft of {trade.name_en.lower()} in {shop.city} for "
            f"{years} years. Every piece is made by hand in the workshop, from local materials."
        ),
        story_es="",
        workshop_city=shop.city,
        region=shop.region,
        languages_spoken=["ar", "fr"] if shop.number % 2 else ["ar", "ber", "fr", "en"],
        trades=[trade],
    )
    # The sender printed on every parcel (a made-up street of the workshop's town).
    workshop.set_workshop_address(
        shop=created,
        actor=owner,
        street=f"{10 + shop.number % 90} derb Lalla Aicha",
        postal_code=f"{10000 + shop.number * 7 % 80000:05d}",
        phone=f"+2125244{shop.number % 100000:05d}",
    )
    if shop.number % 4 == 1:
        services.set_payout_destination(
            shop=created,
            actor=owner,
            method=PayoutMethod.WALLET,
            wallet_phone=f"+2126610{shop.number:05d}",
        )
    else:
        services.set_payout_destination(
            shop=created, actor=owner, method=PayoutMethod.RIB, rib=_rib(shop.number)
        )
    for kind in KycKind.values:
        services.upload_kyc_document(
            shop=created, actor=owner, kind=kind, upload=ContentFile(_specimen_pdf(kind))
        )
    for index in range(PHOTOS_PER_SHOP):
        _add_generated_photo(created, seed=shop.number * 10 + index, position=index)
    if shop.number == COOPERATIVE_WITH_MEMBERS:
        for index, name in enumerate(("Itto Oubella", "Zahra Alaoui"), start=1):
            email = f"member{index:02d}@souk.example"
            member = _account(email, name, password)
            invitation = members.invite_shop_member(
                shop=created, actor=owner, login=email, role=MemberRole.MEMBER
            )
            members.accept_shop_invitation(invitation_id=invitation.pk, invitee=member)
    services.submit_shop_for_review(shop=created, actor=owner)
    if shop.number <= APPROVED_SHOP_COUNT:
        services.approve_shop(shop=created, moderator=moderator)


def _unclaimed_entry() -> None:
    RegisterEntry.objects.get_or_create(
        register_number=UNCLAIMED_NUMBER,
        defaults={
            "category": Category.ARTISAN,
            "cin": UNCLAIMED_CIN,
            "first_name_fr": "Amina",
            "last_name_fr": "Chraibi",
            "first_name_ar": "أمينة",
            "last_name_ar": "الشرايبي",
            "trade": Trade.objects.get(code="S06-T01"),
            "region": Region.objects.get(code="07"),
            "registered_at": date(2023, 5, 4),
            "content_hash": hashlib.blake2b(UNCLAIMED_NUMBER.encode(), digest_size=16).hexdigest(),
        },
    )


def _rib(number: int) -> str:
    """A RIB whose key is right (morocco.md §4.1): key = 97 - (first 22 digits x 100) mod 97."""
    body = f"011780{number:016d}"
    return f"{body}{97 - (int(body) * 100) % 97:02d}"


@functools.cache
def _specimen_pdf(kind: str) -> bytes:
    """A one-page PDF marked SPECIMEN: demo KYC documents identify nobody."""
    image = Image.new("RGB", (640, 400), "#eef2f7")
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 623, 383), outline="#1d4e89", width=6)
    draw.text((48, 60), f"SPECIMEN - DEMO - {kind}", fill="#991b1b", font_size=36)
    draw.text((48, 140), "Souk demo data. Not a real document.", fill="#1f1a17", font_size=24)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF")
    return buffer.getvalue()


def _add_generated_photo(shop: Shop, *, seed: int, position: int) -> None:
    # Written directly rather than through add_shop_photo: the image is ours, without any
    # metadata to strip, and re-encoding sixty of them would only slow the seeding down.
    content = draw_zellige(seed=seed)
    photo = ShopPhoto(
        shop=shop,
        width=content.width,
        height=content.height,
        position=position,
        alt_text="Zellige pattern",
    )
    photo.image.save(f"demo-{seed:04d}.webp", ContentFile(content.data), save=False)
    photo.save()
    renditions.generate_renditions(photo)


@dataclass(frozen=True, slots=True)
class GeneratedImage:
    data: bytes
    width: int
    height: int


def draw_zellige(*, seed: int, width: int = 640, height: int = 480) -> GeneratedImage:
    """A tiling of eight-pointed stars (khatam) in one of the PALETTES, as WebP bytes."""
    rng = random.Random(seed)  # noqa: S311  # picks colours and sizes, not secrets
    background, star, inner, centre = rng.choice(PALETTES)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    tile = rng.choice((64, 80, 96, 120))
    turn = rng.choice((0.0, math.pi / 8))

    def star_points(x: float, y: float, radius: float) -> list[tuple[float, float]]:
        # Sixteen corners alternating between the tips and the notches of two crossed squares.
        notch = radius * math.cos(math.pi / 4) / math.cos(math.pi / 8)
        return [
            (
                x + (radius if k % 2 == 0 else notch) * math.cos(turn + k * math.pi / 8),
                y + (radius if k % 2 == 0 else notch) * math.sin(turn + k * math.pi / 8),
            )
            for k in range(16)
        ]

    for row in range(-1, height // tile + 2):
        for column in range(-1, width // tile + 2):
            x, y = column * tile, row * tile
            draw.polygon(star_points(x, y, tile * 0.5), fill=star, outline=background, width=2)
            draw.polygon(star_points(x, y, tile * 0.3), fill=inner)
            draw.regular_polygon((x, y, tile * 0.12), 8, rotation=22.5, fill=centre)
            # The cross-shaped gap between four stars holds a small turned square.
            draw.regular_polygon(
                (x + tile / 2, y + tile / 2, tile * 0.14), 4, rotation=45, fill=centre
            )
    buffer = io.BytesIO()
    # method=0 is the fastest encoder setting; flat colours compress well whatever the method.
    image.save(buffer, format="WEBP", quality=80, method=0)
    return GeneratedImage(data=buffer.getvalue(), width=width, height=height)
