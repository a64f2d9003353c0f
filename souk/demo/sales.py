"""Demo sales made through the real services, then moved back to the day they stand for.

Every sale is a real order: placed, paid by the sandbox card, accepted, shipped, delivered by
the carrier's tracking, received by the buyer (and, for a refund, returned and refunded), so
the ledger posts every entry it would post in production. The services have no clock
parameter (they read `timezone.now()`), and the demo needs months of history: once a sale is
finished, `backdate` moves its timestamps (the order, the parcel, the ledger entries and
transfers naming it) back by the same span, keeping their order and every amount. Demo data
only, like support's newcomers moved back weeks. The banking roll-ups are then rebuilt from
the moved transfers (`banking.rollups.rebuild_shop`), and the support path recomputed.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from souk.accounts.models import User
from souk.catalog.models import Product
from souk.core.addresses import PostalAddress
from souk.fulfilment import services as fulfilment
from souk.ledger import history, payouts
from souk.orders import services as orders
from souk.orders.models import Order, PaymentMethod, SubOrder
from souk.payments.gateways.registry import gateway_code_for_method

# One address per destination the demo sells to (Morocco and three countries abroad).
ADDRESSES = {
    "MA": PostalAddress(
        full_name="Salma Alaoui",
        line1="12 rue Ibn Batouta",
        line2="",
        city="Casablanca",
        region="",
        postal_code="20250",
        country="MA",
        phone="+212612345678",
    ),
    "FR": PostalAddress(
        full_name="Claire Martin",
        line1="8 rue des Tanneurs",
        line2="",
        city="Lyon",
        region="",
        postal_code="69001",
        country="FR",
        phone="+33612345678",
    ),
    "ES": PostalAddress(
        full_name="Lucía García",
        line1="Calle Mayor 14",
        line2="",
        city="Sevilla",
        region="",
        postal_code="41001",
        country="ES",
        phone="+34612345678",
    ),
    "US": PostalAddress(
        full_name="Emily Carter",
        line1="220 Bleecker Street",
        line2="",
        city="New York",
        region="NY",
        postal_code="10012",
        country="US",
        phone="+12125550123",
    ),
}


def sell(
    product: Product, *, buyer: User, artisan: User, country: str = "MA", refund: bool = False
) -> SubOrder:
    """One work sold to `buyer`, shipped to `country`, received (then returned and refunded
    when `refund`): the finished parcel."""
    cart = orders.get_or_create_cart(user=buyer, cart_id=None)
    orders.add_to_cart(cart=cart, product_id=product.pk, quantity=1)
    order = orders.place_order(
        buyer=buyer,
        cart=cart,
        address=ADDRESSES[country],
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
    # The sandbox carrier's tracking says delivered; then the buyer confirms receipt.
    orders.mark_delivered(sub_order=SubOrder.objects.get(pk=parcel.pk))
    orders.confirm_receipt(sub_order=SubOrder.objects.get(pk=parcel.pk), buyer=buyer)
    if refund:
        orders.request_return(
            sub_order=SubOrder.objects.get(pk=parcel.pk), buyer=buyer, reason="Taille"
        )
        orders.receive_return(sub_order=SubOrder.objects.get(pk=parcel.pk), actor=artisan)
    return SubOrder.objects.get(pk=parcel.pk)


_PARCEL_MOMENTS = (
    "accept_by",
    "shipped_at",
    "out_for_delivery_at",
    "delivered_at",
    "completed_at",
    "status_changed_at",
)


def backdate(parcel: SubOrder, when: datetime.datetime) -> None:
    """Move a finished sale (its order, parcel and ledger entries) back so it was placed `when`."""
    order = Order.objects.get(pk=parcel.order_id)
    if order.placed_at is None:
        return
    span = order.placed_at - when
    Order.objects.filter(pk=order.pk).update(placed_at=when, created_at=order.created_at - span)
    parcel = SubOrder.objects.get(pk=parcel.pk)
    moved = {
        name: getattr(parcel, name) - span
        for name in _PARCEL_MOMENTS
        if getattr(parcel, name) is not None
    }
    SubOrder.objects.filter(pk=parcel.pk).update(**moved)
    history.move_back(
        references=[("sub_order", parcel.reference), ("order", order.reference)], span=span
    )


def pay_out(*, key: str, when: datetime.datetime, shop_ids: set[int]) -> int:
    """A payout run dated `when`, reported paid by the bank the next day; the payouts of
    `shop_ids` (and their entries) are moved back to that day. Returns the payouts made."""
    payouts.start_payout_run(key=key, today=timezone.localdate(when))
    made = history.payout_references_of_run(run_key=key)
    # The bank's status file, as the operators import it: every payout paid the next day.
    paid_on = timezone.localdate(when) + datetime.timedelta(days=1)
    lines = "".join(f"{reference},paid,{paid_on.isoformat()},\n" for reference in made)
    if made:
        payouts.import_payout_status(content=f"reference,status,date,reason\n{lines}".encode())
    history.move_run_back(
        run_key=key, shop_ids=shop_ids, when=when, paid_after=datetime.timedelta(days=1)
    )
    return len(made)
