"""Demo: one revenue-based advance being repaid by the demo artisan (docs/banking.md).

Attijariwafa bank (its officer bank@souk.example) funds an advance to the demo artisan's shop
through `banking.advances.fund_advance`; then three of the shop's works are sold to
buyer@souk.example, paid, accepted, shipped and received through the real order services, so
each completion has the advance's share withheld. Runs once: a shop that already has an
advance is left as it is.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from souk.accounts.models import User
from souk.banking import advances
from souk.banking.models import Advance, PartnerBank
from souk.catalog.models import Product, ProductStatus
from souk.core.addresses import PostalAddress
from souk.core.money import Money
from souk.fulfilment import services as fulfilment
from souk.orders import services as orders
from souk.orders.models import PaymentMethod, SubOrder
from souk.payments.gateways.registry import gateway_code_for_method
from souk.shops.models import MemberRole, ShopMember

# Attijariwafa bank's settlement account in the demo (a valid RIB: bank code 007).
DEMO_SETTLEMENT_RIB = "007780000000123456789057"
ADDRESS = PostalAddress(
    full_name="Salma Alaoui",
    line1="12 rue Ibn Batouta",
    line2="",
    city="Casablanca",
    region="",
    postal_code="20250",
    country="MA",
    phone="+212612345678",
)


def _sell_and_complete(product: Product, buyer: User, artisan: User) -> None:
    cart = orders.get_or_create_cart(user=buyer, cart_id=None)
    orders.add_to_cart(cart=cart, product_id=product.pk, quantity=1)
    order = orders.place_order(
        buyer=buyer,
        cart=cart,
        address=ADDRESS,
        payment_method=PaymentMethod.CARD,
        checkout_token=uuid.uuid4().hex,
        currency="MAD",
        language="fr",
    )
    with transaction.atomic():
        orders.record_payment(
            order_id=order.pk, gateway=gateway_code_for_method(order.payment_method)
        )
    parcel = SubOrder.objects.get(order=order, shop=product.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    orders.follow_tracking(sub_order=parcel, status="out_for_delivery")
    orders.confirm_receipt(sub_order=SubOrder.objects.get(pk=parcel.pk), buyer=buyer)


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
            _sell_and_complete(product, buyer, artisan)
    return [
        "  artisan@souk.example repays an advance of Attijariwafa bank (15,000 MAD + 1,200 MAD",
        "  fee, 10% of each release): /fr/banking/ and /fr/earnings/; the next payout run pays",
        "  the bank its share by a transfer of its own (/fr/earnings/operations/).",
    ]
