"""Carts, orders split per artisan, stock reservations, and the one table of order moves.

An Order is what the buyer pays once; it holds one SubOrder per shop, each shipped, accepted,
refunded on its own. Statuses follow ORDER_TRANSITIONS and SUBORDER_TRANSITIONS; services.py
applies them and writes an OrderEvent for every move (the history shown to buyer, artisan and
moderator). Amounts are MAD centimes; the buyer's display currency and the rate used are
snapshotted on the order. See docs/orders.md.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.catalog.models import Product, ProductVariant
from souk.core.storage import private_storage
from souk.registry.models import Sector
from souk.shipping.models import ShippingZone
from souk.shops.models import Shop

ORDER_CURRENCY = "MAD"
# Letters and digits nobody confuses when reading a reference over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_order_reference() -> str:
    return "SK-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


# --- Cart -------------------------------------------------------------------------------------


class Cart(models.Model):
    """A buyer's cart; a guest's cart has no user and is found through the session."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartItem(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    # The variant chosen, for a product sold by variant (required then: services.add_to_cart).
    variant = models.ForeignKey(
        ProductVariant, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    # The price the buyer saw when adding: a later change is shown, never silently applied.
    seen_price_amount = models.BigIntegerField(_("price seen (centimes)"))
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("cart item")
        verbose_name_plural = _("cart items")
        ordering = ["added_at", "id"]
        constraints = [
            # NULLs are distinct in a unique index: one constraint per case.
            models.UniqueConstraint(
                fields=["cart", "product"],
                condition=Q(variant__isnull=True),
                name="cart_item_once_per_product",
            ),
            models.UniqueConstraint(
                fields=["cart", "product", "variant"],
                condition=Q(variant__isnull=False),
                name="cart_item_once_per_variant",
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="cart_item_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"


# --- Reference tables staff maintain ------------------------------------------------------------


class CommissionRate(models.Model):
    """The platform's share of a line's price, per sector (or for every sector when blank),
    from a date on. The rate in force on the order's date applies; cooperatives may have a lower
    rate of their own."""

    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Leave blank for the rate of every sector without its own."),
    )
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4)
    cooperative_rate = models.DecimalField(
        _("rate for cooperatives"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    effective_from = models.DateField(_("in force from"))

    class Meta:
        verbose_name = _("commission rate")
        verbose_name_plural = _("commission rates")
        ordering = ["sector_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "effective_from"], name="commission_rate_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0, rate__lt=1), name="commission_rate_is_a_share"
            ),
            models.CheckConstraint(
                condition=Q(cooperative_rate__isnull=True)
                | Q(cooperative_rate__gte=0, cooperative_rate__lt=1),
                name="commission_cooperative_rate_is_a_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector_id or '*'} {self.rate} ({self.effective_from})"


class SavedAddress(models.Model):
    """An address a signed-in buyer keeps for the next checkout."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="addresses"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    line1 = models.CharField(_("address"), max_length=200)
    line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=10, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    country = models.CharField(_("country"), max_length=2)
    phone = models.CharField(_("phone number"), max_length=16)
    last_used_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved address")
        verbose_name_plural = _("saved addresses")
        ordering = ["-last_used_at", "-id"]

    def __str__(self) -> str:
        return f"{self.full_name}, {self.city} ({self.country})"


# --- Orders -----------------------------------------------------------------------------------


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Bank card")
    WALLET = "wallet", _("Mobile wallet")
    CASH_ON_DELIVERY = "cod", _("Cash on delivery")


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PLACED = "placed", _("Placed")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")


class SubOrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    PAID = "paid", _("Paid, waiting for the artisan")
    CASH_ON_DELIVERY = "cash_on_delivery", _("To pay on delivery, waiting for the artisan")
    ACCEPTED = "accepted", _("Accepted, being prepared")
    DECLINED = "declined", _("Declined by the artisan")
    SHIPPED = "shipped", _("Shipped")
    IN_TRANSIT = "in_transit", _("In transit")
    DELIVERED = "delivered", _("Delivered")
    RETURNED_TO_SENDER = "returned_to_sender", _("Returned to the artisan by the carrier")
    LOST = "lost", _("Lost by the carrier")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    RETURNED = "returned", _("Returned")
    REFUNDED = "refunded", _("Refunded")
    DISPUTED = "disputed", _("In dispute")
    RESOLVED = "resolved", _("Dispute resolved")


class Actor(enum.Enum):
    """Who may make a move."""

    BUYER = "buyer"
    ARTISAN = "artisan"
    MODERATOR = "moderator"
    # The platform itself: a payment callback, a periodic task, a carrier's tracking event.
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actors: frozenset[Actor]
    reason_required: bool
    label: str | Promise


def _transition(
    action: str,
    sources: set[str],
    target: str,
    actors: set[Actor],
    label: str | Promise,
    *,
    reason_required: bool = False,
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors), reason_required, label)


S = SubOrderStatus
BUYER, ARTISAN, MODERATOR, SYSTEM = Actor.BUYER, Actor.ARTISAN, Actor.MODERATOR, Actor.SYSTEM

ORDER_TRANSITIONS: tuple[Transition, ...] = (
    _transition(
        "place",
        {OrderStatus.AWAITING_PAYMENT},
        OrderStatus.PLACED,
        {SYSTEM},
        _("Payment received or cash on delivery confirmed"),
    ),
    _transition(
        "cancel",
        {OrderStatus.AWAITING_PAYMENT},
        OrderStatus.CANCELLED,
        {BUYER, SYSTEM, MODERATOR},
        _("Cancel the order"),
    ),
    # A payment that arrives after the order expired, while the stock is still there.
    _transition(
        "revive",
        {OrderStatus.CANCELLED},
        OrderStatus.AWAITING_PAYMENT,
        {SYSTEM},
        _("Payment arrived late; the works were still available"),
    ),
    _transition(
        "close",
        {OrderStatus.PLACED},
        OrderStatus.CLOSED,
        {SYSTEM},
        _("Every parcel finished"),
    ),
)

# Every move a sub-order may make, and nothing else; anything not listed raises.
SUBORDER_TRANSITIONS: tuple[Transition, ...] = (
    _transition("pay", {S.AWAITING_PAYMENT}, S.PAID, {SYSTEM}, _("Payment received")),
    _transition(
        "confirm_cash_on_delivery",
        {S.AWAITING_PAYMENT},
        S.CASH_ON_DELIVERY,
        {SYSTEM},
        _("Confirmed, to pay on delivery"),
    ),
    _transition(
        "cancel",
        {S.AWAITING_PAYMENT, S.CASH_ON_DELIVERY},
        S.CANCELLED,
        {BUYER, SYSTEM, MODERATOR},
        _("Cancel"),
    ),
    _transition(
        "revive",
        {S.CANCELLED},
        S.AWAITING_PAYMENT,
        {SYSTEM},
        _("Payment arrived late; the works were still available"),
    ),
    _transition("accept", {S.PAID, S.CASH_ON_DELIVERY}, S.ACCEPTED, {ARTISAN}, _("Accept")),
    _transition(
        "decline",
        {S.PAID, S.CASH_ON_DELIVERY},
        S.DECLINED,
        {ARTISAN, SYSTEM},
        _("Decline"),
        reason_required=True,
    ),
    _transition("ship", {S.ACCEPTED}, S.SHIPPED, {ARTISAN}, _("Mark as shipped")),
    # The carrier's tracking events (souk/shipping), or a moderator on the carrier's word.
    _transition("in_transit", {S.SHIPPED}, S.IN_TRANSIT, {SYSTEM}, _("In transit")),
    _transition(
        "deliver",
        {S.SHIPPED, S.IN_TRANSIT},
        S.DELIVERED,
        {SYSTEM, MODERATOR},
        _("Delivered by the carrier"),
    ),
    _transition(
        "return_to_sender",
        {S.SHIPPED, S.IN_TRANSIT},
        S.RETURNED_TO_SENDER,
        {SYSTEM, MODERATOR},
        _("Returned to the artisan by the carrier"),
    ),
    _transition(
        "lose", {S.SHIPPED, S.IN_TRANSIT}, S.LOST, {SYSTEM, MODERATOR}, _("Lost by the carrier")
    ),
    _transition(
        "confirm_receipt",
        {S.SHIPPED, S.IN_TRANSIT, S.DELIVERED},
        S.COMPLETED,
        {BUYER},
        _("I received it"),
    ),
    _transition(
        "auto_complete",
        {S.DELIVERED},
        S.COMPLETED,
        {SYSTEM},
        _("Completed after the confirmation period"),
    ),
    _transition(
        "request_return",
        {S.DELIVERED, S.COMPLETED},
        S.RETURN_REQUESTED,
        {BUYER},
        _("Ask for a return"),
        reason_required=True,
    ),
    _transition(
        "receive_return",
        {S.RETURN_REQUESTED},
        S.RETURNED,
        {ARTISAN, MODERATOR},
        _("Returned item received"),
    ),
    _transition(
        "dispute",
        {
            S.SHIPPED,
            S.IN_TRANSIT,
            S.DELIVERED,
            S.RETURN_REQUESTED,
            S.RETURNED,
            S.RETURNED_TO_SENDER,
            S.LOST,
        },
        S.DISPUTED,
        {BUYER, ARTISAN},
        _("Ask Souk to step in"),
        reason_required=True,
    ),
    _transition(
        "resolve",
        {S.DISPUTED},
        S.RESOLVED,
        {MODERATOR},
        _("Close the dispute without refund"),
        reason_required=True,
    ),
    # The money goes back: after a decline or a return (by the platform), or on a moderator's
    # decision at any point after payment.
    _transition(
        "refund",
        {S.DECLINED, S.RETURNED},
        S.REFUNDED,
        {SYSTEM},
        _("Refunded"),
    ),
    _transition(
        "force_refund",
        {
            S.PAID,
            S.ACCEPTED,
            S.SHIPPED,
            S.IN_TRANSIT,
            S.DELIVERED,
            S.COMPLETED,
            S.RETURN_REQUESTED,
            S.RETURNED,
            S.RETURNED_TO_SENDER,
            S.LOST,
            S.DISPUTED,
            S.DECLINED,
        },
        S.REFUNDED,
        {MODERATOR},
        _("Refund the buyer"),
        reason_required=True,
    ),
    _transition(
        "force_cancel",
        {S.AWAITING_PAYMENT, S.CASH_ON_DELIVERY, S.ACCEPTED},
        S.CANCELLED,
        {MODERATOR},
        _("Cancel (unpaid)"),
        reason_required=True,
    ),
)
del S

ORDER_TRANSITIONS_BY_ACTION = {transition.action: transition for transition in ORDER_TRANSITIONS}
SUBORDER_TRANSITIONS_BY_ACTION = {
    transition.action: transition for transition in SUBORDER_TRANSITIONS
}

# A sub-order here has reached its end: nothing more happens to it but a moderator's refund.
FINISHED_SUBORDER_STATUSES = frozenset(
    {
        SubOrderStatus.COMPLETED,
        SubOrderStatus.CANCELLED,
        SubOrderStatus.REFUNDED,
        SubOrderStatus.RESOLVED,
        # Declined cash-on-delivery parcels stay declined; paid ones move on to refunded.
        SubOrderStatus.DECLINED,
    }
)
# Reasons the platform itself gives, stored as codes and shown in the reader's language.
SYSTEM_REASONS: dict[str, str | Promise] = {
    "payment_timeout": _("The payment did not arrive in time; the works were put back on sale."),
    "sold_out": _("The works sold out before the payment arrived."),
    "no_answer_in_time": _("The artisan did not answer in time."),
}


class Order(models.Model):
    """What one buyer ordered and pays once, in MAD; split into one SubOrder per shop."""

    reference = models.CharField(
        _("reference"), max_length=16, unique=True, default=new_order_reference
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="orders",
    )
    # The checkout form's one-time token: a double-click or a retried POST finds this order.
    checkout_token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=OrderStatus.choices,
        default=OrderStatus.AWAITING_PAYMENT,
        db_index=True,
    )
    payment_method = models.CharField(
        _("payment method"), max_length=8, choices=PaymentMethod.choices
    )
    currency = models.CharField(_("currency"), max_length=3, default=ORDER_CURRENCY)
    items_amount = models.BigIntegerField(_("items"))
    shipping_amount = models.BigIntegerField(_("shipping"))
    discount_amount = models.BigIntegerField(_("discount"), default=0)
    total_amount = models.BigIntegerField(_("total"))
    # The buyer's browsing currency and the reference rate (MAD per unit) the estimate used.
    display_currency = models.CharField(_("shown in"), max_length=3, default=ORDER_CURRENCY)
    display_rate = models.DecimalField(max_digits=12, decimal_places=6, default=1)
    display_rate_date = models.DateField(null=True, blank=True)
    display_total_amount = models.BigIntegerField(_("estimated total in the buyer's currency"))
    # The destination, as the buyer wrote it (a copy: a saved address may change later).
    ship_to_name = models.CharField(_("full name"), max_length=150)
    ship_to_line1 = models.CharField(_("address"), max_length=200)
    ship_to_line2 = models.CharField(_("address (continued)"), max_length=200, blank=True)
    ship_to_city = models.CharField(_("city"), max_length=100)
    ship_to_region = models.CharField(_("region"), max_length=10, blank=True)
    ship_to_postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    ship_to_country = models.CharField(_("country"), max_length=2)
    ship_to_phone = models.CharField(_("phone number"), max_length=16)
    language = models.CharField(_("language"), max_length=5, default="fr")
    # Stock stays reserved for this order until then (services.RESERVATION_MINUTES).
    reserved_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["buyer", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="order_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(
                    total_amount=models.F("items_amount")
                    + models.F("shipping_amount")
                    - models.F("discount_amount")
                ),
                name="order_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class SubOrder(models.Model):
    """The part of an order one shop prepares and ships, with its own status."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="sub_orders")
    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="sub_orders"
    )
    # The order's reference and the parcel's number: SK-7K3M9QXA-2.
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubOrderStatus.choices,
        default=SubOrderStatus.AWAITING_PAYMENT,
        db_index=True,
    )
    items_amount = models.BigIntegerField(_("items"))
    shipping_amount = models.BigIntegerField(_("shipping"))
    total_amount = models.BigIntegerField(_("total"))
    # Never shown to the buyer: the sum of the lines' commissions.
    commission_amount = models.BigIntegerField(_("commission"))
    refunded_amount = models.BigIntegerField(_("refunded"), default=0)
    shipping_zone = models.CharField(_("zone"), max_length=5, choices=ShippingZone.choices)
    delivery_days_min = models.PositiveSmallIntegerField(default=0)
    delivery_days_max = models.PositiveSmallIntegerField(default=0)
    lead_time_days = models.PositiveSmallIntegerField(_("days to make"), default=0)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=60, blank=True)
    # The artisan answers before this, or the sub-order is declined and refunded by itself.
    accept_by = models.DateTimeField(_("answer before"), null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sub-order")
        verbose_name_plural = _("sub-orders")
        ordering = ["order_id", "id"]
        indexes = [models.Index(fields=["shop", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["order", "shop"], name="sub_order_once_per_shop"),
            models.CheckConstraint(
                condition=Q(status__in=SubOrderStatus.values), name="sub_order_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(total_amount=models.F("items_amount") + models.F("shipping_amount")),
                name="sub_order_total_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0, refunded_amount__lte=models.F("total_amount")),
                name="sub_order_refund_within_total",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class OrderLine(models.Model):
    """One listing in a sub-order, with everything copied that may change on the listing."""

    sub_order = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="order_lines")
    variant = models.ForeignKey(
        ProductVariant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
    )
    title = models.CharField(_("title"), max_length=140)
    # The variant's label when ordered, in the buyer's language ("" without a variant).
    variant_label = models.CharField(_("variant"), max_length=80, blank=True)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+")
    hs_code = models.CharField(_("HS code"), max_length=6)
    weight_grams = models.PositiveIntegerField(null=True, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_amount = models.BigIntegerField(_("unit price"))
    line_amount = models.BigIntegerField(_("amount"))
    is_made_to_order = models.BooleanField(default=False)
    lead_time_days = models.PositiveSmallIntegerField(default=0)
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4)
    commission_amount = models.BigIntegerField()

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["sub_order_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(line_amount=models.F("unit_price_amount") * models.F("quantity")),
                name="order_line_amount_adds_up",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="order_line_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.title}"


class ReservationStatus(models.TextChoices):
    HELD = "held", _("Held")
    SOLD = "sold", _("Sold")
    RELEASED = "released", _("Released")


class StockReservation(models.Model):
    """Units taken from a listing's stock for an order while the buyer pays.

    The listing's `stock_quantity` is decreased when the reservation is made (a conditional
    UPDATE that never goes below zero) and increased again when it is released."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reservations")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    # Units of a variant come from the variant's stock, not the product's.
    variant = models.ForeignKey(
        ProductVariant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quantity = models.PositiveIntegerField()
    status = models.CharField(
        max_length=8, choices=ReservationStatus.choices, default=ReservationStatus.HELD
    )
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "product"],
                condition=Q(status="held", variant__isnull=True),
                name="reservation_held_once_per_order_product",
            ),
            models.UniqueConstraint(
                fields=["order", "product", "variant"],
                condition=Q(status="held", variant__isnull=False),
                name="reservation_held_once_per_order_variant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id} for {self.order_id} ({self.status})"


class OrderEvent(models.Model):
    """One move of an order or sub-order: the history shown on the order pages."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    sub_order = models.ForeignKey(
        SubOrder, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField(max_length=10)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status} → {self.to_status}"


class OrderMessage(models.Model):
    """A message between the buyer and the artisan about one sub-order."""

    sub_order = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_role = models.CharField(max_length=10)
    body = models.TextField(_("message"), max_length=2000)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk} on {self.sub_order_id}"


def _return_photo_path(instance: ReturnPhoto, filename: str) -> str:
    return f"returns/{instance.sub_order_id}/{filename}"


class ReturnPhoto(models.Model):
    """A photo the buyer sends with a return request (private: buyer, artisan, moderators)."""

    sub_order = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="return_photos")
    image = models.FileField(storage=private_storage, upload_to=_return_photo_path, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"return photo {self.pk}"
