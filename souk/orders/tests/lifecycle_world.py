"""The people, shops and works the random lifecycles share (lifecycles.py), set up once per test
or bench run, and the outside world's messages they send over real HTTP: the card processor's
and the wallet's signed callbacks, the carrier's signed tracking events."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone

from souk.accounts.models import User
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core import signatures
from souk.fulfilment.webhook import carrier_secrets
from souk.orders.models import Order, SubOrder
from souk.orders.tests.factories import make_buyer
from souk.payments.gateways import cmi_protocol
from souk.payments.gateways.base import PaymentStart
from souk.payments.tests.factories import cmi_callback_fields, signed_wallet_body
from souk.shops.models import Shop
from souk.shops.tests.factories import make_approved_shop, make_moderator, owner_of

# Prices with odd centimes, so that commission and refund shares have remainders to allocate.
SHOP_PRICES = (45_000, 120_050, 9_990)


@dataclass(frozen=True, slots=True)
class World:
    """Three approved shops with a work in stock each, a one-of-a-kind piece in the first, two
    buyers (the second buys the piece a slow payer waited too long for) and two moderators
    (large refunds need a second person)."""

    shops: tuple[Shop, ...]
    artisans: tuple[User, ...]
    stocked: tuple[Product, ...]
    unique_piece: Product
    buyer: User
    rival_buyer: User
    moderator: User
    second_moderator: User
    client: Client


def make_world() -> World:
    shops = tuple(make_approved_shop() for _ in SHOP_PRICES)
    moderator = make_moderator()
    stocked = tuple(
        make_active_product(
            shop=shop, moderator=moderator, price_amount=price, stock_quantity=1_000_000
        )
        for shop, price in zip(shops, SHOP_PRICES, strict=True)
    )
    unique_piece = make_active_product(
        shop=shops[0], moderator=moderator, price_amount=31_415, stock_quantity=1
    )
    return World(
        shops=shops,
        artisans=tuple(owner_of(shop) for shop in shops),
        stocked=stocked,
        unique_piece=unique_piece,
        buyer=make_buyer(),
        rival_buyer=make_buyer(email="rival@example.com", full_name="Karim Benali"),
        moderator=moderator,
        second_moderator=make_moderator(),
        client=Client(),
    )


def post_card_callback(client: Client, fields: dict[str, str]) -> str:
    """The processor's server-to-server callback, as it posts it; the reply text."""
    response = client.post("/payments/cmi/callback", fields)
    assert response.status_code == 200, response.content
    return response.content.decode()


def card_callback(start: PaymentStart, *, approved: bool) -> dict[str, str]:
    """The processor's signed answer for this attempt (an approval is journaled at the
    processor first, so the status query confirms it)."""
    return cmi_callback_fields(start, code="00" if approved else "05")


def wallet_callback(
    order: Order, start: PaymentStart, *, approved: bool, event_id: str
) -> dict[str, str]:
    return {
        "event_id": event_id,
        "merchant_id": "",
        "bill_number": start.gateway_order_id,
        "reference": order.reference,
        "amount": cmi_protocol.format_amount(order.total_amount),
        "currency": "504",
        "status": "approved" if approved else "rejected",
        "transaction_id": f"W{start.gateway_order_id}" if approved else "",
    }


def post_wallet_callback(client: Client, data: dict[str, str]) -> str:
    """The wallet's callback, signed when it leaves (a repeat is signed again, same body)."""
    body, signature = signed_wallet_body(data)
    response = client.post(
        "/payments/wallet/callback",
        body,
        content_type="application/json",
        headers={"X-Wallet-Signature": signature},
    )
    return response.content.decode()


# When the carrier's events of a parcel happened: an hour ago, then ten minutes apart.
TRACKING_OFFSETS = {
    "in_transit": 10,
    "out_for_delivery": 15,
    "delivered": 20,
    "returned": 20,
    "lost": 20,
}


def tracking_event(sub_order: SubOrder, status: str) -> dict[str, str]:
    moment = timezone.now() - datetime.timedelta(minutes=60 - TRACKING_OFFSETS[status])
    return {
        "tracking_number": sub_order.tracking_number,
        "event_id": f"{sub_order.reference}:{status}",
        "status": status,
        "happened_at": moment.isoformat(),
        "location": "Casablanca",
    }


def post_tracking(client: Client, carrier: str, events: Sequence[dict[str, str]]) -> None:
    """One delivery of the carrier's webhook, signed with its current secret."""
    body = json.dumps({"events": list(events)}).encode()
    response = client.post(
        f"/shipping/tracking/{carrier}/",
        body,
        content_type="application/json",
        headers={"X-Carrier-Signature": signatures.sign(body, secret=carrier_secrets(carrier)[0])},
    )
    assert response.status_code == 200, response.content
