"""Reads of carts and orders for the pages, and the checkout summary place_order relies on.

Access has one definition per side: list_buyer_orders / get_buyer_order (the buyer's own),
list_shop_sub_orders / get_artisan_sub_order (sub-orders of shops the user manages),
get_moderated_sub_order (moderators). A sub-order of someone else is DoesNotExist, never a 403
that would confirm it exists.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Case, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from souk.accounts.models import User
from souk.catalog import availability
from souk.catalog import selectors as catalog
from souk.catalog.models import Product, ProductVariant
from souk.core import fx
from souk.core.money import Money, sum_money
from souk.orders import pricing
from souk.orders.errors import CartChanged, CartEmpty
from souk.orders.models import (
    ORDER_CURRENCY,
    Cart,
    CartItem,
    Order,
    OrderEvent,
    OrderLine,
    OrderStatus,
    PaymentMethod,
    SavedAddress,
    SubOrder,
    SubOrderStatus,
)
from souk.registry.models import Category
from souk.shipping import duties as duty_estimates
from souk.shops.models import MemberRole, Shop

MODERATE_PERMISSION = "accounts.moderate_content"


def cash_on_delivery_limit() -> Money:
    return Money(settings.SOUK_COD_MAX_AMOUNT, ORDER_CURRENCY)


# --- Cart -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CartLine:
    item: CartItem
    # None when the listing is no longer on sale (paused, suspended, shop closed), or when its
    # variant is (or a variant must now be chosen).
    product: Product | None
    quantity: int
    seen_price: Money
    price: Money | None
    # The variant chosen, while on sale; None for a listing sold as one piece.
    variant: ProductVariant | None = None

    @property
    def is_available(self) -> bool:
        return self.product is not None and self.available_stock != 0

    @property
    def available_stock(self) -> int | None:
        """Pieces that can be bought (catalog.availability); None: no limit, or no listing."""
        if self.product is None:
            return None
        return availability.units_available(self.product, self.variant)

    @property
    def is_price_changed(self) -> bool:
        return self.price is not None and self.price != self.seen_price

    @property
    def is_short_of_stock(self) -> bool:
        stock = self.available_stock
        return stock is not None and 0 < stock < self.quantity

    @property
    def needs_attention(self) -> bool:
        return not self.is_available or self.is_price_changed or self.is_short_of_stock

    @property
    def amount(self) -> Money:
        return (self.price or self.seen_price) * self.quantity


@dataclass(frozen=True, slots=True)
class CartView:
    lines: list[CartLine]

    @property
    def needs_attention(self) -> bool:
        return any(line.needs_attention for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def items_total(self) -> Money:
        return sum_money((line.amount for line in self.lines if line.is_available), ORDER_CURRENCY)

    def by_shop(self) -> list[tuple[Shop, list[CartLine]]]:
        groups: dict[int, tuple[Shop, list[CartLine]]] = {}
        for line in self.lines:
            shop = line.item.product.shop
            groups.setdefault(shop.pk, (shop, []))[1].append(line)
        return list(groups.values())


def get_cart_view(cart: Cart) -> CartView:
    # The lines' products come on sale from list_visible_products; these only name the shop.
    items = list(cart.items.select_related("product__shop", "product__trade", "variant"))
    visible = {
        product.pk: product
        for product in catalog.list_visible_products().filter(
            pk__in=[item.product_id for item in items]
        )
    }
    variants = {
        variant.pk: variant
        for variant in ProductVariant.objects.filter(product_id__in=list(visible), is_active=True)
    }
    sold_by_variant = {variant.product_id for variant in variants.values()}
    lines = []
    for item in items:
        product = visible.get(item.product_id)
        variant = variants.get(item.variant_id) if item.variant_id is not None else None
        # An inactive variant, or no variant for a listing now sold by variant: unavailable.
        if (item.variant_id is not None and variant is None) or (
            item.variant_id is None and item.product_id in sold_by_variant
        ):
            product = None
        priced = variant or product
        lines.append(
            CartLine(
                item=item,
                product=product,
                variant=variant,
                quantity=item.quantity,
                seen_price=Money(item.seen_price_amount, ORDER_CURRENCY),
                price=Money(priced.price_amount, ORDER_CURRENCY) if priced else None,
            )
        )
    return CartView(lines=lines)


def count_cart_items(cart_id: int | None, user: User | None) -> int:
    items = CartItem.objects.all()
    if user is not None:
        items = items.filter(cart__user=user)
    elif cart_id is not None:
        items = items.filter(cart_id=cart_id, cart__user__isnull=True)
    else:
        return 0
    return int(items.aggregate(total=Sum("quantity"))["total"] or 0)


# --- Checkout ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedLine:
    product: Product
    variant: ProductVariant | None
    quantity: int
    unit_price: Money
    commission_rate: Decimal
    commission: Money

    @property
    def amount(self) -> Money:
        return self.unit_price * self.quantity


@dataclass(frozen=True, slots=True)
class Parcel:
    """One sub-order to be: a shop's lines, its shipping and the longest time to make."""

    shop: Shop
    lines: list[PlannedLine]
    shipping: pricing.ShippingQuote
    lead_time_days: int
    # Import duty and taxes the recipient should expect (None within Morocco).
    duties: duty_estimates.DutyEstimate | None = None

    @property
    def items(self) -> Money:
        return sum_money((line.amount for line in self.lines), ORDER_CURRENCY)

    @property
    def total(self) -> Money:
        return self.items + self.shipping.price

    @property
    def commission(self) -> Money:
        return sum_money((line.commission for line in self.lines), ORDER_CURRENCY)


@dataclass(frozen=True, slots=True)
class CheckoutSummary:
    parcels: list[Parcel]
    country: str
    discount: Money = field(default_factory=lambda: Money.zero(ORDER_CURRENCY))
    # The indicative total in the buyer's currency (None in MAD or without a rate).
    estimate: fx.Conversion | None = None

    @property
    def items(self) -> Money:
        return sum_money((parcel.items for parcel in self.parcels), ORDER_CURRENCY)

    @property
    def shipping(self) -> Money:
        return sum_money((parcel.shipping.price for parcel in self.parcels), ORDER_CURRENCY)

    @property
    def total(self) -> Money:
        return self.items + self.shipping - self.discount

    @property
    def is_cash_on_delivery_allowed(self) -> bool:
        return self.country == "MA" and self.total <= cash_on_delivery_limit()


def get_saved_address(user: User) -> SavedAddress | None:
    """The address the buyer kept last, for the next checkout; None if they kept none."""
    return SavedAddress.objects.filter(user=user).first()


def summarize_checkout(
    *,
    cart: Cart,
    country: str,
    currency: str,
    carriers: Mapping[int, str] | None = None,
    on: datetime.date | None = None,
    view: CartView | None = None,
) -> CheckoutSummary:
    """What the buyer will pay, parcel by parcel, to `country`; the basis of place_order.

    `carriers` maps a shop id to the carrier code the buyer chose for its parcel (the cheapest
    otherwise). `view`: the cart's view the caller read in this request (read again if not
    given). Raises CartEmpty, CartChanged (a price, a stock or a listing moved since the
    buyer looked: they must see the cart again) or NoCarrier (a parcel no carrier can take
    there)."""
    view = view if view is not None else get_cart_view(cart)
    if not view.lines:
        raise CartEmpty()
    if view.needs_attention:
        raise CartChanged()
    day = on or timezone.localdate()
    parcels = []
    for shop, cart_lines in view.by_shop():
        is_cooperative = shop.register_entry.category == Category.COOPERATIVE
        planned = []
        for cart_line in cart_lines:
            product = cart_line.product
            if product is None:  # cannot happen: needs_attention covers unavailable lines
                raise CartChanged()
            rate = pricing.commission_rate(
                sector_code=product.trade.sector_id, is_cooperative=is_cooperative, on=day
            )
            variant = cart_line.variant
            unit_price = Money((variant or product).price_amount, ORDER_CURRENCY)
            planned.append(
                PlannedLine(
                    product=product,
                    variant=variant,
                    quantity=cart_line.quantity,
                    unit_price=unit_price,
                    commission_rate=rate,
                    commission=pricing.commission_on(unit_price * cart_line.quantity, rate),
                )
            )
        lead_time = max(
            (line.product.lead_time_days or 0 for line in planned if line.product.is_made_to_order),
            default=0,
        )
        shipping = pricing.quote_shipping(
            shop_id=shop.pk,
            lines=[(line.product, line.variant, line.quantity) for line in planned],
            country=country,
            works_value=sum_money((line.amount for line in planned), ORDER_CURRENCY),
            carrier_code=(carriers or {}).get(shop.pk, ""),
        )
        duties = duty_estimates.estimate(
            country=country,
            lines=[(line.product.hs_code, line.amount) for line in planned],
            shipping=shipping.price,
        )
        parcels.append(
            Parcel(
                shop=shop,
                lines=planned,
                shipping=shipping,
                lead_time_days=lead_time,
                duties=duties,
            )
        )
    summary = CheckoutSummary(parcels=parcels, country=country)
    if currency != ORDER_CURRENCY:
        try:
            estimate = fx.convert_from_mad(summary.total, currency=currency, on=day)
        except fx.RateUnavailable:
            estimate = None
        summary = CheckoutSummary(parcels=parcels, country=country, estimate=estimate)
    return summary


# --- Orders -----------------------------------------------------------------------------------


def _with_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    return orders.prefetch_related(
        Prefetch(
            "sub_orders",
            queryset=SubOrder.objects.select_related("shop").prefetch_related(
                Prefetch("lines", queryset=OrderLine.objects.select_related("product", "variant"))
            ),
        )
    )


def list_buyer_orders(user: User) -> QuerySet[Order]:
    return _with_details(Order.objects.filter(buyer=user))


def get_buyer_order(*, user: User, reference: str) -> Order:
    """The order `reference` if `user` placed it; raises Order.DoesNotExist otherwise."""
    order = _with_details(Order.objects.filter(buyer=user)).get(reference=reference)
    # Their own order: the buyer is the user asked with, not read again.
    order.buyer = user
    return order


def _managed_shop_ids(user: User) -> QuerySet[Shop, int]:
    return Shop.objects.filter(members__user=user, members__role=MemberRole.MANAGER).values_list(
        "pk", flat=True
    )


def _sub_orders() -> QuerySet[SubOrder]:
    return SubOrder.objects.select_related("order__buyer", "shop__register_entry").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("product", "variant"))
    )


# Sub-orders an artisan sees: from payment (or cash on delivery confirmation) on.
ARTISAN_VISIBLE_STATUSES = frozenset(SubOrderStatus.values) - {
    SubOrderStatus.AWAITING_PAYMENT,
    SubOrderStatus.CANCELLED,
}


def list_shop_sub_orders(
    *, user: User, statuses: Iterable[str] | None = None
) -> QuerySet[SubOrder]:
    """Sub-orders of the shops `user` manages, newest first; unpaid ones are not theirs yet."""
    sub_orders = _sub_orders().filter(
        shop__in=_managed_shop_ids(user), status__in=ARTISAN_VISIBLE_STATUSES
    )
    if statuses:
        sub_orders = sub_orders.filter(status__in=list(statuses))
    return sub_orders.order_by("-order__created_at", "-id")


def get_artisan_sub_order(*, user: User, reference: str) -> SubOrder:
    """The sub-order if it belongs to a shop `user` manages and is paid or confirmed."""
    return list_shop_sub_orders(user=user).get(reference=reference)


def get_buyer_sub_order(*, user: User, reference: str) -> SubOrder:
    return _sub_orders().get(order__buyer=user, reference=reference)


def get_moderated_sub_order(*, user: User, reference: str) -> SubOrder:
    if not user.has_perm(MODERATE_PERMISSION):
        raise SubOrder.DoesNotExist()
    return _sub_orders().get(reference=reference)


def search_sub_orders_for_moderation(*, query: str = "", status: str = "") -> QuerySet[SubOrder]:
    """Sub-orders by reference, buyer (or guest) email or phone, or shop name; newest first."""
    sub_orders = _sub_orders().exclude(status=SubOrderStatus.AWAITING_PAYMENT)
    if status:
        sub_orders = sub_orders.filter(status=status)
    text = query.strip()
    if text:
        sub_orders = sub_orders.filter(
            Q(reference__istartswith=text)
            | Q(order__reference__iexact=text)
            | Q(order__buyer__email__iexact=text)
            | Q(order__buyer__phone=text)
            # A guest's contact (guest checkout): the same search finds their orders.
            | Q(order__buyer__is_guest=True, order__buyer__guest_email__iexact=text)
            | Q(order__buyer__is_guest=True, order__buyer__guest_phone=text)
            | Q(shop__display_name__icontains=text)
        )
    return sub_orders.order_by("-order__created_at", "-id")


def list_events(order: Order, sub_order: SubOrder | None = None) -> QuerySet[OrderEvent]:
    """The history of an order; with `sub_order`, the order's own moves and that parcel's."""
    events = OrderEvent.objects.filter(order=order).select_related("actor")
    if sub_order is not None:
        events = events.filter(Q(sub_order__isnull=True) | Q(sub_order=sub_order))
    return events


def list_unpaid_orders_to_expire(now: datetime.datetime) -> QuerySet[Order]:
    return Order.objects.filter(status=OrderStatus.AWAITING_PAYMENT, reserved_until__lt=now)


# The parcels the buyer paid for, lifecycle.is_paid as a query: card and wallet once captured,
# cash on delivery once collected (delivered, or received as the buyer said first).
PAID_PARCELS = (
    Q(order__payment_method__in=[PaymentMethod.CARD, PaymentMethod.WALLET])
    & ~Q(status__in=[SubOrderStatus.AWAITING_PAYMENT, SubOrderStatus.CANCELLED])
) | (
    Q(order__payment_method=PaymentMethod.CASH_ON_DELIVERY)
    & (Q(delivered_at__isnull=False) | Q(completed_at__isnull=False))
)


def list_parcels_for_ledger_check() -> QuerySet[SubOrder]:
    """Every parcel with what the ledger must show for it (ledger_check): `owed_back`, what the
    buyer must have been refunded (all of it for a paid parcel now refunded, else its
    refunded amount), and `commission_due`, the commission the platform keeps on it (on what
    was kept, once completed; nothing before)."""
    return SubOrder.objects.annotate(
        owed_back=Case(
            When(PAID_PARCELS & Q(status=SubOrderStatus.REFUNDED), then=F("total_amount")),
            default=F("refunded_amount"),
        ),
        commission_due=Case(
            When(
                completed_at__isnull=False,
                total_amount__gt=0,
                then=pricing.commission_due_sql(
                    commission="commission_amount", total="total_amount", refunded="refunded_amount"
                ),
            ),
            default=Value(0),
            output_field=BigIntegerField(),
        ),
    )


def get_commission_due(sub_order: SubOrder) -> Money:
    """The commission Souk keeps on a parcel: its share of what the buyer finally paid for (the
    ledger's figure once completed, docs/ledger.md "Commission")."""
    return pricing.commission_due(
        commission=Money(sub_order.commission_amount, ORDER_CURRENCY),
        total=sub_order.total_amount,
        kept=sub_order.total_amount - sub_order.refunded_amount,
    )


def list_escrow_expected_by_shop() -> dict[int, int]:
    """What each shop's escrow must hold (minor units): its parcels paid (PAID_PARCELS) and
    neither completed nor refunded."""
    holding = (
        SubOrder.objects.filter(completed_at__isnull=True)
        .exclude(
            status__in=[
                SubOrderStatus.AWAITING_PAYMENT,
                SubOrderStatus.CASH_ON_DELIVERY,
                SubOrderStatus.CANCELLED,
                SubOrderStatus.REFUNDED,
            ]
        )
        .filter(PAID_PARCELS)
    )
    rows = (
        holding.values("shop_id")
        .annotate(total=Sum(F("total_amount") - F("refunded_amount")))
        .order_by()
    )
    return {row["shop_id"]: row["total"] for row in rows}


def list_sub_order_references_by_order(order_ids: Iterable[int]) -> dict[int, list[str]]:
    references: dict[int, list[str]] = {}
    for order_id, reference in SubOrder.objects.filter(order_id__in=list(order_ids)).values_list(
        "order_id", "reference"
    ):
        references.setdefault(order_id, []).append(reference)
    return references
