"""The models of orders, one module per aggregate: cart.py (carts, saved addresses),
commission.py (commission rates), statuses.py (statuses and the table of moves), order.py
(orders, sub-orders, lines, events, messages, return photos), reservations.py (stock held while
paying). Every public name is re-exported here: `from souk.orders.models import SubOrder`.
"""

from souk.core.machine import Actor, Transition
from souk.orders.models.cart import (
    Cart,
    CartItem,
    SavedAddress,
)
from souk.orders.models.commission import CommissionRate
from souk.orders.models.order import (
    ORDER_CURRENCY,
    REFERENCE_ALPHABET,
    Order,
    OrderEvent,
    OrderLine,
    OrderMessage,
    PaymentMethod,
    ReturnPhoto,
    SubOrder,
    new_order_reference,
)
from souk.orders.models.order import (
    # The upload path the migrations name as souk.orders.models._return_photo_path.
    _return_photo_path as _return_photo_path,
)
from souk.orders.models.reservations import (
    ReservationStatus,
    StockReservation,
)
from souk.orders.models.statuses import (
    FINISHED_SUBORDER_STATUSES,
    ORDER_TRANSITIONS,
    SUBORDER_TRANSITIONS,
    SYSTEM_REASONS,
    OrderStatus,
    SubOrderStatus,
)

__all__ = [
    "FINISHED_SUBORDER_STATUSES",
    "ORDER_CURRENCY",
    "ORDER_TRANSITIONS",
    "REFERENCE_ALPHABET",
    "SUBORDER_TRANSITIONS",
    "SYSTEM_REASONS",
    "Actor",
    "Cart",
    "CartItem",
    "CommissionRate",
    "Order",
    "OrderEvent",
    "OrderLine",
    "OrderMessage",
    "OrderStatus",
    "PaymentMethod",
    "ReservationStatus",
    "ReturnPhoto",
    "SavedAddress",
    "StockReservation",
    "SubOrder",
    "SubOrderStatus",
    "Transition",
    "new_order_reference",
]
