"""The workshop's postal address and phone: the sender printed on labels, customs
declarations and invoices. Asked for where the artisan ships a first parcel (the carrier and
customs need a street and a number to call), changeable at any later shipment."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.accounts.phones import normalize_phone
from souk.core import audit
from souk.shops import locks, selectors
from souk.shops.errors import InvalidShopDetails, NotShopManager
from souk.shops.models import Shop

# Moroccan postal codes are five digits.
POSTAL_CODE = re.compile(r"\d{5}")


def set_workshop_address(
    *, shop: Shop, actor: User, street: str, postal_code: str, phone: str
) -> Shop:
    """Keep where the shop's parcels leave from. Raises NotShopManager for anyone but its
    managers, InvalidShopDetails (nothing saved) for an empty street, a postal code that is not
    five digits or a phone number that cannot exist."""
    street = " ".join(street.split())
    postal_code = postal_code.strip()
    if not street:
        raise InvalidShopDetails(_("Give the workshop's street address."))
    if not POSTAL_CODE.fullmatch(postal_code):
        raise InvalidShopDetails(_("A Moroccan postal code has five digits."))
    try:
        e164 = normalize_phone(phone, region="MA")
    except ValidationError as error:
        raise InvalidShopDetails(_("Enter a valid phone number for the workshop.")) from error
    with transaction.atomic():
        locked = locks.shop_for_update(shop.pk).get()
        if not selectors.is_manager(shop=locked, user=actor):
            raise NotShopManager()
        locked.workshop_address = street[:200]
        locked.workshop_postal_code = postal_code
        locked.workshop_phone = e164
        locked.save(update_fields=["workshop_address", "workshop_postal_code", "workshop_phone"])
        audit.record(actor=actor, action="shop.workshop_address", target=locked)
    return locked
