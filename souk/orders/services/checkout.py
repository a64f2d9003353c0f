"""Placing an order and what payment does to it: reserve stock, record the payment, release.

Stock is reserved when the buyer starts paying (place_order): each listing's `stock_quantity`
is lowered by a conditional UPDATE (`... WHERE stock_quantity >= n`), which the database
applies atomically whatever the number of concurrent checkouts, so a listing is never sold
beyond its stock. The reservation is held RESERVATION_MINUTES, then released by the periodic
expire_unpaid_orders; a payment failure releases it at once; a successful payment turns it into
a sale. A payment that succeeds after its order expired takes the stock again if it is still
there, else the payments service refunds it (record_payment says which).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from souk.accounts.models import User
from souk.catalog import availability
from souk.catalog.events import ProductsChanged
from souk.catalog.models import Product, ProductVariant
from souk.core import batch, events
from souk.core.addresses import PostalAddress
from souk.core.machine import Actor
from souk.core.money import Money, format_money_for_language
from souk.ledger import accounting
from souk.orders import locks, notices, selectors
from souk.orders.errors import (
    CashOnDeliveryNeedsAccount,
    CashOnDeliveryNotAllowed,
    InsufficientStock,
    NotAllowedForRole,
    OrderNotPayable,
)
from souk.orders.events import UnpaidOrderCancelled
from souk.orders.models import (
    Cart,
    CartItem,
    Order,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    ReservationStatus,
    SavedAddress,
    StockReservation,
    SubOrder,
    SubOrderStatus,
)
from souk.orders.services.transitions import move_order, move_sub_order


def reservation_minutes() -> int:
    return int(settings.SOUK_RESERVATION_MINUTES)


def _reindex(product_ids: list[int]) -> None:
    # "In stock" is a search facet: a listing sold out or back in stock is indexed again.
    if product_ids:
        events.publish(ProductsChanged(product_ids=tuple(product_ids)))


def _stock_now(product_id: int, variant_id: int | None) -> int:
    """The stock of the line's variant or listing as this transaction left it (its row is
    locked by the UPDATE just made: PostgreSQL's row lock, SQLite's single writer)."""
    if variant_id is None:
        stock = Product.objects.filter(pk=product_id).values_list("stock_quantity", flat=True)
        return int(stock.first() or 0)
    variant = ProductVariant.objects.filter(pk=variant_id).values_list("stock_quantity", flat=True)
    return int(variant.first() or 0)


def _take(product_id: int, variant_id: int | None, quantity: int) -> bool:
    """Lower the stock of the line's variant, or of its listing, by `quantity` if it has that
    many; one conditional UPDATE of one row, so concurrent checkouts never oversell."""
    if variant_id is None:
        return bool(
            Product.objects.filter(
                availability.listing_on_sale(), pk=product_id, stock_quantity__gte=quantity
            ).update(stock_quantity=F("stock_quantity") - quantity)
        )
    # The listing's status is read apart: a join in the UPDATE would check the stock against a
    # snapshot (PostgreSQL re-checks only the updated row's own columns after waiting on it).
    if not Product.objects.filter(availability.listing_on_sale(), pk=product_id).exists():
        return False
    return bool(
        ProductVariant.objects.filter(
            pk=variant_id, product_id=product_id, is_active=True, stock_quantity__gte=quantity
        ).update(stock_quantity=F("stock_quantity") - quantity)
    )


def _reserve(
    order: Order,
    lines: list[OrderLine],
    until: datetime.datetime,
    *,
    is_stock_locked: bool = False,
) -> None:
    """Take each stocked line's units from its variant or listing, or raise InsufficientStock
    (and the caller's transaction takes nothing). `is_stock_locked`: the caller locked these
    rows already (locks.stock), in this transaction."""
    wanted: dict[tuple[int, int], int] = {}
    titles: dict[tuple[int, int], str] = {}
    for line in lines:
        if line.is_made_to_order:
            continue
        # Variant 0 stands for "no variant", so the keys sort.
        key = (line.product_id, line.variant_id or 0)
        wanted[key] = wanted.get(key, 0) + line.quantity
        titles[key] = (
            f"{line.title} \N{EN DASH} {line.variant_label}" if line.variant_label else line.title
        )
    sold_out: set[int] = set()
    if not is_stock_locked:
        locks.stock(wanted)
    for key in sorted(wanted):
        product_id, variant_id = key[0], key[1] or None
        quantity = wanted[key]
        if not _take(product_id, variant_id, quantity):
            raise InsufficientStock(detail={"product": titles[key]})
        if _stock_now(product_id, variant_id) == 0:
            sold_out.add(product_id)
        StockReservation.objects.create(
            order=order,
            product_id=product_id,
            variant_id=variant_id,
            quantity=quantity,
            expires_at=until,
        )
    Order.objects.filter(pk=order.pk).update(reserved_until=until)
    order.reserved_until = until
    # Only a listing (or variant) this order sold out changes in the search ("in stock"): the
    # others are not indexed again, nor the search's kept pages forgotten, at every sale.
    _reindex(sorted(sold_out))


def _release(order: Order) -> None:
    """Give the order's held units back to their variants or listings."""
    now = timezone.now()
    held = list(
        StockReservation.objects.filter(order=order, status=ReservationStatus.HELD).order_by(
            "product_id", "variant_id"
        )
    )
    back_in_stock: set[int] = set()
    locks.stock((reservation.product_id, reservation.variant_id or 0) for reservation in held)
    for reservation in held:
        back = F("stock_quantity") + reservation.quantity
        if reservation.variant_id is not None:
            ProductVariant.objects.filter(pk=reservation.variant_id).update(stock_quantity=back)
        else:
            Product.objects.filter(pk=reservation.product_id).update(stock_quantity=back)
        # Sold out until these units came back: in stock again for the search.
        if _stock_now(reservation.product_id, reservation.variant_id) <= reservation.quantity:
            back_in_stock.add(reservation.product_id)
    StockReservation.objects.filter(pk__in=[r.pk for r in held]).update(
        status=ReservationStatus.RELEASED, resolved_at=now
    )
    # `reserved_until` stays: it is also the order's deadline to be paid (expire_unpaid_orders).
    _reindex(sorted(back_in_stock))


def save_address(*, user: User, address: PostalAddress) -> SavedAddress:
    """Keep `address` for the buyer's next checkout; the same name, first line and country
    update the address kept before instead of adding one."""
    same: dict[str, Any] = {
        "full_name": address.full_name,
        "line1": address.line1,
        "country": address.country,
    }
    rest = {
        name: getattr(address, name) for name in ("line2", "city", "region", "postal_code", "phone")
    }
    # The address a buyer orders to again is usually kept as it is: one read, no write.
    kept = list(SavedAddress.objects.filter(user=user, **same)[:2])
    if len(kept) == 1 and all(getattr(kept[0], name) == value for name, value in rest.items()):
        return kept[0]
    saved, _created = SavedAddress.objects.update_or_create(user=user, **same, defaults=rest)
    return saved


def place_order(
    *,
    buyer: User,
    cart: Cart,
    address: PostalAddress,
    payment_method: str,
    checkout_token: str,
    currency: str,
    language: str,
    carriers: Mapping[int, str] | None = None,
    view: selectors.CartView | None = None,
) -> Order:
    """Turn the cart into an order awaiting payment, one sub-order per shop, stock reserved.

    Idempotent on `checkout_token` (one per checkout page shown): the same form posted twice
    returns the first order. The buyer's earlier unpaid orders are cancelled, so their holds do
    not stand in the way. `view`: the cart's view the caller read in this request (read again
    if not given; either way before the transaction, the stock is taken in it). Raises
    CartEmpty, CartChanged, NoCarrier, CashOnDeliveryNotAllowed, InsufficientStock."""
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        if existing.buyer_id != buyer.pk:
            raise NotAllowedForRole()
        return existing
    summary = selectors.summarize_checkout(
        cart=cart, country=address.country, currency=currency, carriers=carriers, view=view
    )
    if payment_method == PaymentMethod.CASH_ON_DELIVERY and buyer.is_guest:
        raise CashOnDeliveryNeedsAccount()
    if payment_method == PaymentMethod.CASH_ON_DELIVERY and not summary.is_cash_on_delivery_allowed:
        limit = format_money_for_language(selectors.cash_on_delivery_limit(), language)
        raise CashOnDeliveryNotAllowed(CashOnDeliveryNotAllowed.message % {"limit": limit})
    now = timezone.now()
    estimate = summary.estimate
    try:
        with transaction.atomic():
            unpaid_orders = locks.unpaid_orders_of(buyer)
            # What the unpaid orders give back and what this one takes, locked together.
            locks.stock(
                [
                    (product_id, variant_id or 0)
                    for product_id, variant_id in StockReservation.objects.filter(
                        order__in=unpaid_orders, status=ReservationStatus.HELD
                    ).values_list("product_id", "variant_id")
                ]
                + [
                    (planned.product.pk, planned.variant.pk if planned.variant else 0)
                    for parcel in summary.parcels
                    for planned in parcel.lines
                    if not planned.product.is_made_to_order
                ]
            )
            for unpaid in unpaid_orders:
                _cancel_unpaid(unpaid, actor=buyer, role=Actor.BUYER, reason="")
            order = Order.objects.create(
                buyer=buyer,
                checkout_token=checkout_token,
                payment_method=payment_method,
                items_amount=summary.items.amount,
                shipping_amount=summary.shipping.amount,
                discount_amount=summary.discount.amount,
                total_amount=summary.total.amount,
                display_currency=estimate.amount.currency if estimate else summary.total.currency,
                display_rate=estimate.mad_per_unit if estimate else 1,
                display_rate_date=estimate.rate_date if estimate else None,
                display_total_amount=(estimate.amount if estimate else summary.total).amount,
                ship_to_name=address.full_name,
                ship_to_line1=address.line1,
                ship_to_line2=address.line2,
                ship_to_city=address.city,
                ship_to_region=address.region,
                ship_to_postal_code=address.postal_code,
                ship_to_country=address.country,
                ship_to_phone=address.phone,
                language=language,
                created_at=now,
                guest_cart=cart if buyer.is_guest else None,
            )
            lines: list[OrderLine] = []
            for number, parcel in enumerate(summary.parcels, start=1):
                sub_order = SubOrder.objects.create(
                    order=order,
                    shop=parcel.shop,
                    reference=f"{order.reference}-{number}",
                    items_amount=parcel.items.amount,
                    shipping_amount=parcel.shipping.price.amount,
                    total_amount=parcel.total.amount,
                    commission_amount=parcel.commission.amount,
                    shipping_zone=parcel.shipping.zone,
                    carrier=parcel.shipping.carrier_code,
                    delivery_days_min=parcel.shipping.days_min,
                    delivery_days_max=parcel.shipping.days_max,
                    lead_time_days=parcel.lead_time_days,
                )
                for planned in parcel.lines:
                    product, variant = planned.product, planned.variant
                    lines.append(
                        OrderLine.objects.create(
                            sub_order=sub_order,
                            product=product,
                            variant=variant,
                            title=product.title[:140],
                            variant_label=variant.label[:80] if variant is not None else "",
                            sector_id=product.trade.sector_id,
                            hs_code=product.hs_code,
                            weight_grams=(
                                variant.shipped_weight_grams
                                if variant is not None
                                else product.weight_grams
                            ),
                            quantity=planned.quantity,
                            unit_price_amount=planned.unit_price.amount,
                            line_amount=planned.amount.amount,
                            is_made_to_order=product.is_made_to_order,
                            lead_time_days=product.lead_time_days or 0,
                            commission_rate=planned.commission_rate,
                            commission_amount=planned.commission.amount,
                        )
                    )
            # Its listings and variants were locked above, with the unpaid orders' ones.
            _reserve(
                order,
                lines,
                now + timedelta(minutes=reservation_minutes()),
                is_stock_locked=True,
            )
            move_order(order, action="created", actor=buyer, role=Actor.BUYER)
    except IntegrityError:
        # The same form posted twice at the same moment: the other request made the order.
        same = Order.objects.filter(checkout_token=checkout_token, buyer=buyer).first()
        if same is None:
            raise
        return same
    return order


def reserve_again(*, order: Order) -> Order:
    """Before another payment attempt after a failure: hold the stock again for the order.

    Raises OrderNotPayable when the order is no longer awaiting payment, InsufficientStock
    when a listing sold out meanwhile."""
    with transaction.atomic():
        order = locks.order(order.pk)
        if order.status != OrderStatus.AWAITING_PAYMENT:
            raise OrderNotPayable()
        if not StockReservation.objects.filter(order=order, status=ReservationStatus.HELD).exists():
            lines = list(OrderLine.objects.filter(sub_order__order=order))
            _reserve(order, lines, timezone.now() + timedelta(minutes=reservation_minutes()))
        else:
            until = timezone.now() + timedelta(minutes=reservation_minutes())
            StockReservation.objects.filter(order=order, status=ReservationStatus.HELD).update(
                expires_at=until
            )
            Order.objects.filter(pk=order.pk).update(reserved_until=until)
            order.reserved_until = until
    return order


class PaymentOutcome(enum.Enum):
    PLACED = "placed"
    # The order was already paid: a repeated callback; nothing changed.
    ALREADY_PLACED = "already_placed"
    # The payment came after the order expired and its stock was sold: refund it.
    REFUND_NEEDED = "refund_needed"


def _sell_held(order: Order) -> int:
    held = StockReservation.objects.filter(order=order, status=ReservationStatus.HELD)
    return held.update(status=ReservationStatus.SOLD, resolved_at=timezone.now())


def _place(order: Order, *, sub_order_action: str, gateway: str = "", sold: bool = False) -> None:
    """Place the order (its held units sold first, unless `sold` says the caller did)."""
    now = timezone.now()
    due = {"accept_by": now + timedelta(hours=int(settings.SOUK_ACCEPT_WITHIN_HOURS))}
    if not sold:
        _sell_held(order)
    placed = {"placed_at": now, "reserved_until": None}
    move_order(order, action="place", actor=None, role=Actor.SYSTEM, fields=placed)
    sub_orders = locks.sub_orders_of(order)
    for sub_order in sub_orders:
        # The locked order, not a second read of it for the move's permission check.
        sub_order.order = order
        move_sub_order(
            sub_order, action=sub_order_action, actor=None, role=Actor.SYSTEM, fields=due
        )
    if sub_order_action == "pay":
        # The money is with the processor `gateway` (its clearing account in the ledger): into
        # each parcel's shop escrow, in the same transaction as the payment and the placement.
        accounting.record_payment_captured(
            key=f"capture:{order.reference}",
            gateway=gateway,
            parcels=[
                accounting.ParcelAmount(
                    shop_id=part.shop_id,
                    reference=part.reference,
                    amount=Money(part.total_amount, order.currency),
                )
                for part in sub_orders
            ],
        )
    # The works bought leave the buyer's cart; anything else they had there stays.
    bought = Q(pk__in=[])
    for product_id, variant_id in OrderLine.objects.filter(sub_order__order=order).values_list(
        "product_id", "variant_id"
    ):
        bought |= Q(product_id=product_id, variant_id=variant_id)
    cart = Q(cart__user=order.buyer_id)
    if order.guest_cart_id is not None:
        cart |= Q(cart_id=order.guest_cart_id)
    CartItem.objects.filter(bought, cart).delete()
    transaction.on_commit(partial(notices.order_placed, order.pk))


def _take_stock_again(order: Order) -> bool:
    try:
        with transaction.atomic():
            lines = list(OrderLine.objects.filter(sub_order__order=order))
            _reserve(order, lines, timezone.now() + timedelta(minutes=reservation_minutes()))
    except InsufficientStock:
        return False
    return True


def record_payment(
    *, order_id: int, gateway: str, locked_order: Order | None = None
) -> PaymentOutcome:
    """The order's total was received through `gateway` (the card processor or the wallet).

    Call inside the payment's own transaction, so the two are saved together. Exactly one
    effect however often it is called; a paid order never goes back to unpaid. `locked_order`:
    the order the caller locked already, in a savepoint of its own (none taken here)."""
    with transaction.atomic(savepoint=locked_order is None):
        order = locked_order or locks.order(order_id)
        sold = False
        if order.status in (OrderStatus.PLACED, OrderStatus.CLOSED):
            return PaymentOutcome.ALREADY_PLACED
        if order.status == OrderStatus.CANCELLED:
            if not _take_stock_again(order):
                return PaymentOutcome.REFUND_NEEDED
            move_order(order, action="revive", actor=None, role=Actor.SYSTEM)
            for sub_order in locks.sub_orders_of(order):
                move_sub_order(sub_order, action="revive", actor=None, role=Actor.SYSTEM)
        elif not (sold := _sell_held(order) > 0) and not _take_stock_again(order):
            # Released after a failed attempt, and sold to someone else meanwhile.
            # The money came: payments refunds it on REFUND_NEEDED, nothing to cancel there.
            _cancel_unpaid(order, actor=None, role=Actor.SYSTEM, reason="sold_out", paid=True)
            return PaymentOutcome.REFUND_NEEDED
        _place(order, sub_order_action="pay", gateway=gateway, sold=sold)
    return PaymentOutcome.PLACED


def confirm_cash_on_delivery(*, order_id: int) -> Order:
    """The buyer chose cash on delivery: the order goes to the artisans now (idempotent)."""
    with transaction.atomic():
        order = locks.order(order_id)
        if order.status == OrderStatus.AWAITING_PAYMENT:
            if order.payment_method != PaymentMethod.CASH_ON_DELIVERY:
                raise OrderNotPayable()
            _place(order, sub_order_action="confirm_cash_on_delivery")
        elif order.status not in (OrderStatus.PLACED, OrderStatus.CLOSED):
            raise OrderNotPayable()
    return order


def record_payment_failure(*, order_id: int) -> None:
    """A payment attempt failed: release the stock at once; the buyer may try again."""
    with transaction.atomic():
        order = locks.order(order_id)
        if order.status == OrderStatus.AWAITING_PAYMENT:
            _release(order)


def _cancel_unpaid(
    order: Order, *, actor: User | None, role: Actor, reason: str, paid: bool = False
) -> None:
    _release(order)
    move_order(order, action="cancel", actor=actor, role=role, reason=reason)
    for sub_order in locks.sub_orders_of(order):
        if sub_order.status == SubOrderStatus.AWAITING_PAYMENT:
            move_sub_order(sub_order, action="cancel", actor=actor, role=role, reason=reason)
    if not paid:
        # Nothing was paid: the payment, if one was started, ends cancelled too.
        events.publish(UnpaidOrderCancelled(order=order))


def cancel_unpaid_order(*, order: Order, buyer: User) -> Order:
    """The buyer gives up before paying: the order is cancelled and its stock released."""
    with transaction.atomic():
        order = locks.order(order.pk)
        if order.buyer_id != buyer.pk:
            raise NotAllowedForRole()
        _cancel_unpaid(order, actor=buyer, role=Actor.BUYER, reason="")
    return order


def expire_unpaid_orders(*, now: datetime.datetime | None = None) -> int:
    """Cancel the orders whose reservation ran out before payment (a periodic task)."""
    moment = now or timezone.now()

    def expire(order_id: int) -> bool:
        order = locks.order(order_id)
        if order.status != OrderStatus.AWAITING_PAYMENT or (
            order.reserved_until is None or order.reserved_until >= moment
        ):
            return False  # paid, or given more time, a moment ago
        _cancel_unpaid(order, actor=None, role=Actor.SYSTEM, reason="payment_timeout")
        return True

    expired = selectors.list_unpaid_orders_to_expire(moment).values_list("pk", flat=True)
    return batch.for_each("orders.expire_unpaid_orders", expired, expire).done
