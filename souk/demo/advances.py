"""Demo: one revenue-based advance being repaid by the demo artisan (docs/banking.md).

Attijariwafa bank (its officer bank@souk.example) funds an advance to the demo artisan's shop
through `banking.advances.fund_advance`; then three of the shop's works are sold to
buyer@souk.example, paid, accepted, shipped and received through the real order services, so
each completion has the advance's share withheld. Runs once: a shop that already has an
advance is left as it is.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q

from souk.accounts.models import User
from souk.banking import advances
from souk.banking.models import Advance, PartnerBank
from souk.catalog.models import Product, ProductStatus
from souk.core.money import Money
from souk.demo import sales
from souk.shops.models import MemberRole, ShopMember

# Attijariwafa bank's settlement account in the demo (a valid RIB: bank code 007).
DEMO_SETTLEMENT_RIB = "007780000000123456789057"


def seed() -> list[str]:
    bank = PartnerBank.objects.get(bank_code="007")
    if not bank.settlement_rib:
        PartnerBank.objects.filter(pk=bank.pk).update(settlement_rib=DEMO_SETTLEMENT_RIB)
        bank.refresh_from_db()
    member = (
        ShopMember.objects.filter(user__email="artisan@souk.example", role=MemberRole.MANAGER)
        .select_related("shop", "user")
        .first()
    )
    if member is None:
        return []
    shop, artisan = member.shop, member.user
    if not Advance.objects.filter(shop=shop).exists():
        advances.fund_advance(
            shop=shop,
            bank=bank,
            principal=Money(1_500_000, "MAD"),
            fee=Money(120_000, "MAD"),
            share=Decimal("10"),
            by=User.objects.get(email="bank@souk.example"),
        )
        buyer = User.objects.get(email="buyer@souk.example")
        works = Product.objects.filter(shop=shop, status=ProductStatus.ACTIVE).filter(
            Q(stock_quantity__gt=0) | Q(is_made_to_order=True)
        )
        for product in works.order_by("pk")[:3]:
            sales.sell(product, buyer=buyer, artisan=artisan)
    return [
        "  artisan@souk.example repays an advance of Attijariwafa bank (15,000 MAD + 1,200 MAD",
        "  fee, 10% of each release): /fr/banking/ and /fr/earnings/; the next payout run pays",
        "  the bank its share by a transfer of its own (/fr/earnings/operations/).",
    ]
