"""Demo data for banking: two partner banks (bank codes from ../shared/reference/morocco.md
§4.1), offers of several kinds approved through the offer machine, and bank@souk.example as an
officer of the first bank. Idempotent: banks by code, offers by bank and French title."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.banking import services
from souk.banking.models import BankOfficer, LegalForm, Offer, OfferKind, PartnerBank
from souk.demo import advances as advances_demo
from souk.demo import bank_applications
from souk.demo.accounts import DEMO_PASSWORD

# Placeholder logos drawn here (initials on a colour), never a copy of a real bank's mark.
DEMO_LOGOS = {"007": ("AW", "#a0522d"), "011": ("BA", "#1f6f5c")}


def draw_logo(initials: str, colour: str) -> bytes:
    """A 192 x 64 WebP: a coloured tile with white initials, and the name's room left empty."""
    image = Image.new("RGBA", (192, 64), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 191, 63), radius=12, fill=colour)
    font = ImageFont.load_default(size=40)
    draw.text((96, 32), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", lossless=True)
    return buffer.getvalue()


# Each bank's demo officer; the first is the demo account of the bank-officer role.
DEMO_BANKS = (
    ("007", "Attijariwafa bank", "pro@attijariwafa.example", "bank@souk.example"),
    ("011", "Bank of Africa", "artisans@bankofafrica.example", "bank2@souk.example"),
)


def _offer(kind: str, titles: tuple[str, str, str, str], **terms: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(services.OFFER_FIELDS)
    values.update(
        kind=kind,
        title_ar=titles[0],
        title_fr=titles[1],
        title_en=titles[2],
        title_es=titles[3],
        description_ar="",
        description_fr="",
        description_en="",
        description_es="",
        valid_from=datetime.date(2026, 1, 1),
        sector_codes=[],
        region_codes=[],
        legal_form=LegalForm.ANY,
        requires_active_register_entry=True,
        requires_payout_destination=False,
    )
    values.update(terms)
    return values


DEMO_OFFERS = {
    "007": (
        _offer(
            OfferKind.ACCOUNT,
            ("حساب الحرفي", "Compte Artisan", "Artisan account", "Cuenta Artesano"),
            opening_fee_amount=0,
            monthly_fee_amount=2_500,
            description_fr="Un compte et une carte pour recevoir vos versements Souk.",
            description_en="An account and a card to receive your Souk payouts.",
        ),
        _offer(
            OfferKind.MICRO_CREDIT,
            ("قرض الورشة", "Crédit Atelier", "Workshop credit", "Crédito Taller"),
            max_amount=3_000_000,
            annual_rate_percent=Decimal("9.50"),
            total_cost_amount=285_000,
            min_months_selling=6,
            min_sales_12m_amount=2_400_000,
            min_orders_12m=10,
            max_refund_rate_percent=Decimal("5.00"),
            requires_payout_destination=True,
        ),
        _offer(
            OfferKind.ADVANCE,
            ("تسبيق على المبيعات", "Avance sur ventes", "Sales advance", "Adelanto sobre ventas"),
            max_amount=1_500_000,
            flat_fee_amount=90_000,
            withheld_percent=Decimal("15.00"),
            min_months_selling=3,
            min_sales_12m_amount=1_000_000,
            requires_payout_destination=True,
        ),
    ),
    "011": (
        _offer(
            OfferKind.CARD,
            ("بطاقة الأداء", "Carte Pro", "Business card", "Tarjeta Pro"),
            opening_fee_amount=10_000,
            monthly_fee_amount=1_500,
        ),
        _offer(
            OfferKind.SAVINGS,
            ("ادخار التعاونية", "Épargne coopérative", "Cooperative savings", "Ahorro cooperativo"),
            legal_form=LegalForm.COOPERATIVE,
        ),
        _offer(
            OfferKind.INSURANCE,
            ("تغطية صحية", "Couverture santé", "Health cover", "Cobertura de salud"),
            monthly_fee_amount=9_900,
            min_months_selling=1,
        ),
    ),
}


def _officer(email: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": "Hicham Lahlou", "preferred_language": "fr"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if not user.has_role(Role.BANK_OFFICER):
        accounts.grant_role(user=user, role=Role.BANK_OFFICER)
    return user


def seed() -> list[str]:
    """The banks, their officers, the offers (created and approved once)."""
    administrator = User.objects.get(email="admin@souk.example")
    for code, name, email, officer_email in DEMO_BANKS:
        bank, _created = PartnerBank.objects.get_or_create(
            bank_code=code, defaults={"name": name, "contact_email": email}
        )
        if not bank.logo:
            initials, colour = DEMO_LOGOS[code]
            bank.logo.save(f"demo-bank-{code}.webp", ContentFile(draw_logo(initials, colour)))
        author = _officer(officer_email)
        BankOfficer.objects.get_or_create(user=author, defaults={"bank": bank})
        for values in DEMO_OFFERS[code]:
            if Offer.objects.filter(bank=bank, title_fr=values["title_fr"]).exists():
                continue
            offer = services.create_offer(officer=author, bank=bank, values=values)
            services.move_offer(offer=offer, action="submit", actor=author)
            services.move_offer(offer=offer, action="approve", actor=administrator)
    return [
        "",
        "Banking: bank@souk.example is an officer of Attijariwafa bank, bank2@souk.example of",
        "  Bank of Africa (/fr/banking/bank/offers/);",
        "  artisans see the offers at /fr/banking/offers/, admin@souk.example approves at",
        "  /fr/banking/review/.",
        *bank_applications.seed(),
        *advances_demo.seed(),
    ]
