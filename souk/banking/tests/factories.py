"""Banks, officers, offers and a shop with sales, built through the real use cases."""

from __future__ import annotations

import datetime
from typing import Any

from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.services import grant_role
from souk.accounts.tests.factories import make_user
from souk.banking import services
from souk.banking.models import BankOfficer, Offer, OfferKind, PartnerBank
from souk.catalog.tests.factories import make_active_product
from souk.fulfilment import services as fulfilment
from souk.orders import services as orders
from souk.orders.models import Order, SubOrder
from souk.orders.tests.factories import make_buyer, make_paid_order
from souk.shops.models import Shop
from souk.shops.tests.factories import owner_of

_codes = iter(range(100, 999))


def make_bank(name: str = "Banque Atlas", **fields: Any) -> PartnerBank:
    return PartnerBank.objects.create(name=name, bank_code=f"{next(_codes):03d}", **fields)


def make_officer(bank: PartnerBank, **fields: Any) -> User:
    user = grant_role(user=make_user(**fields), role=Role.BANK_OFFICER)
    BankOfficer.objects.create(bank=bank, user=user)
    return user


def make_administrator(**fields: Any) -> User:
    return grant_role(user=make_user(**fields), role=Role.ADMIN)


def offer_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(services.OFFER_FIELDS)
    values.update(
        kind=OfferKind.MICRO_CREDIT,
        title_ar="قرض صغير",
        title_fr="Micro-crédit atelier",
        title_en="Workshop micro-credit",
        title_es="Microcrédito de taller",
        description_ar="",
        description_fr="Pour acheter de la matière première.",
        description_en="To buy raw material.",
        description_es="",
        valid_from=datetime.date(2026, 1, 1),
        sector_codes=[],
        region_codes=[],
        legal_form="",
        requires_active_register_entry=False,
        requires_payout_destination=False,
    )
    values.update(changes)
    return values


def make_offer(bank: PartnerBank, *, approved: bool = True, **changes: Any) -> Offer:
    officer = bank.officers.first()
    user = officer.user if officer else make_officer(bank)
    offer = services.create_offer(officer=user, bank=bank, values=offer_values(**changes))
    if approved:
        services.move_offer(offer=offer, action="submit", actor=user)
        services.move_offer(offer=offer, action="approve", actor=make_administrator())
    return Offer.objects.get(pk=offer.pk)


def deliver_and_complete(parcel: SubOrder, buyer: User) -> SubOrder:
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    orders.follow_tracking(sub_order=parcel, status="out_for_delivery")
    orders.confirm_receipt(sub_order=SubOrder.objects.get(pk=parcel.pk), buyer=buyer)
    return SubOrder.objects.get(pk=parcel.pk)


def sell(shop: Shop, *, country: str = "MA", price_amount: int = 45_000) -> Order:
    """One paid order of one work of `shop` (a new product each time, so stock never ends)."""
    product = make_active_product(shop=shop, price_amount=price_amount)
    return make_paid_order(buyer=make_buyer(), products=[(product, 1)], country=country)
