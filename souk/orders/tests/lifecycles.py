"""Random order lifecycles through the real services and the real HTTP callbacks, each checked
against the money it should have moved (lifecycle_checks.py). Used by
test_random_lifecycles.py and bench/bench_lifecycles.py.

One lifecycle is one seed: `random.Random(seed)` decides everything, and the lifecycle runs in a
transaction rolled back at its end, so it depends on nothing before it (run one alone with
SOUK_LIFECYCLE_SEED) and the tables stay small. What happens: a checkout of 1-3 parcels from
different shops; payment by card (the processor's signed callbacks), wallet (signed callbacks) or
cash on delivery, sometimes after a declined attempt, sometimes after the order expired (the
one-of-a-kind piece bought by someone else meanwhile, or not); every callback and tracking event
repeated and shuffled; then, parcel by parcel, accept or decline, ship, the carrier's events,
receipt confirmed before or after "delivered", auto-completion, returns, disputes, a moderator's
partial refunds of the order and full refunds of a parcel, before and after completion, and
payout runs now and then. The model (`ParcelMoney`) records what the buyer paid and what should
have been given back, from the moves made, never from the ledger.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone, translation

from souk.core.money import Money
from souk.fulfilment import services as fulfilment
from souk.ledger.payouts import runs as payout_runs
from souk.orders import services as orders
from souk.orders.errors import CashOnDeliveryNotAllowed
from souk.orders.models import Order, PaymentMethod, SubOrder, SubOrderStatus
from souk.orders.tests.factories import fill_cart, place
from souk.orders.tests.lifecycle_checks import Finding, OrderMoney, ParcelMoney, check_lifecycle
from souk.orders.tests.lifecycle_world import (
    World,
    card_callback,
    post_card_callback,
    post_tracking,
    post_wallet_callback,
    tracking_event,
    wallet_callback,
)
from souk.payments import services as payments
from souk.payments.gateways.base import PaymentStart

S = SubOrderStatus
METHODS = (PaymentMethod.CARD, PaymentMethod.WALLET, PaymentMethod.CASH_ON_DELIVERY)
MAX_STEPS = 40
# Where a parcel's story ends (a completed one may still be returned or refunded).
ENDED = frozenset({S.REFUNDED, S.CANCELLED, S.RESOLVED, S.DECLINED})


class Lifecycle:
    def __init__(self, world: World, seed: int) -> None:
        self.world = world
        self.seed = seed
        # Not for secrets: the same seed must replay the same lifecycle.
        self.rng = random.Random(seed)  # noqa: S311 - reproducible on purpose
        self.trace: list[str] = []
        self.findings: list[Finding] = []
        self.order: Order | None = None
        self.money: OrderMoney | None = None
        # The parcel the next moves are about, named in the trace ("-2: ship").
        self.subject = ""

    # --- Plumbing -----------------------------------------------------------------------------

    def act(self, name: str, action: Callable[[], object]) -> bool:
        """Run one move as a request would (its own savepoint); a move the generator chose
        because it is allowed must not fail: a failure is a finding."""
        self.trace.append(f"{self.subject}{name}")
        try:
            # Messages in English (a callback's request may leave the buyer's language on).
            with translation.override("en"), transaction.atomic():
                action()
        # Whatever the failure (domain error, database error), an allowed move must not fail.
        except Exception as error:
            with translation.override("en"):
                detail = f"{name}: {type(error).__name__}: {error}"
            self.findings.append(Finding("action_failed", self.seed, detail))
            return False
        return True

    def parcel(self, sub_order_id: int) -> SubOrder:
        return SubOrder.objects.select_related("order").get(pk=sub_order_id)

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    # --- Checkout and payment -----------------------------------------------------------------

    def run(self) -> list[Finding]:
        world, rng = self.world, self.rng
        method = rng.choice(METHODS)
        country = "MA" if method == PaymentMethod.CASH_ON_DELIVERY else rng.choice(["MA", "FR"])
        is_late = method != PaymentMethod.CASH_ON_DELIVERY and self.chance(0.1)
        count = rng.randint(1, 3)
        shop_indexes = sorted(rng.sample(range(len(world.shops)), count))
        lines = [(world.stocked[index], rng.randint(1, 3)) for index in shop_indexes]
        if is_late or self.chance(0.1):
            lines.append((world.unique_piece, 1))
        fill_cart(world.buyer, lines)
        try:
            order = place(world.buyer, country=country, payment_method=method)
        except CashOnDeliveryNotAllowed:
            method = PaymentMethod.CARD  # over the cash-on-delivery limit: the buyer pays by card
            order = place(world.buyer, country=country, payment_method=method)
        self.order = order
        self.money = OrderMoney(
            method=method,
            parcels={
                sub_order.pk: ParcelMoney(
                    reference=sub_order.reference,
                    shop_id=sub_order.shop_id,
                    total=sub_order.total_amount,
                    commission=sub_order.commission_amount,
                )
                for sub_order in order.sub_orders.order_by("pk")
            },
        )
        self.trace.append(f"placed {order.reference} {method} {country} {len(lines)} lines")
        if self.pay(order, method, is_late=is_late):
            self.walk()
        self.findings += check_lifecycle(seed=self.seed, order_id=order.pk, money=self.money)
        return self.findings

    def pay(self, order: Order, method: str, *, is_late: bool) -> bool:
        """Pay as the gateways do; True when the order went to the artisans."""
        assert self.money is not None
        if method == PaymentMethod.CASH_ON_DELIVERY:
            for _ in range(self.rng.randint(1, 2)):  # a double click on "confirm"
                self.act(
                    "confirm cash on delivery",
                    lambda: payments.confirm_cash_on_delivery(order=order),
                )
            return True
        start = payments.start_payment(order=order, language="fr")
        stale: list[Callable[[], object]] = []
        if self.chance(0.2):
            # A declined attempt first; its repeats arrive later, among the approval's.
            declined = self.callback(order, start, approved=False)
            self.act("declined callback", declined)
            stale = [declined] * self.rng.randint(0, 2)
            start = payments.start_payment(order=order, language="fr")
        approval = self.callback(order, start, approved=True)
        is_sold_out = False
        if is_late:
            deadline = Order.objects.get(pk=order.pk).reserved_until
            assert deadline is not None
            self.act(
                "order expires",
                lambda: orders.expire_unpaid_orders(now=deadline + datetime.timedelta(seconds=1)),
            )
            is_sold_out = self.chance(0.6)
            if is_sold_out:
                self.act("the piece is sold to another buyer", self.sell_unique_piece)
        deliveries = [approval] * self.rng.randint(1, 3) + stale
        self.rng.shuffle(deliveries)
        for delivery in deliveries:
            self.act("payment callback", delivery)
        if is_sold_out:
            # Captured by the processor after the piece was gone: all of it goes back.
            self.money.captured_outside_parcels = order.total_amount
            self.money.refunded_outside_parcels = order.total_amount
            return False
        for parcel in self.money.parcels.values():
            parcel.paid = parcel.total
        return True

    def callback(
        self, order: Order, start: PaymentStart, *, approved: bool
    ) -> Callable[[], object]:
        client = self.world.client
        if order.payment_method == PaymentMethod.CARD:
            fields = card_callback(start, approved=approved)
            return lambda: post_card_callback(client, fields)
        data = wallet_callback(
            order,
            start,
            approved=approved,
            event_id=uuid.UUID(int=self.rng.getrandbits(128)).hex,
        )
        return lambda: post_wallet_callback(client, data)

    def sell_unique_piece(self) -> None:
        world = self.world
        fill_cart(world.rival_buyer, [(world.unique_piece, 1)])
        place(world.rival_buyer)

    # --- After payment ------------------------------------------------------------------------

    def statuses(self) -> dict[int, str]:
        assert self.money is not None
        return dict(
            SubOrder.objects.filter(pk__in=list(self.money.parcels)).values_list("pk", "status")
        )

    def walk(self) -> None:
        assert self.money is not None
        for _ in range(MAX_STEPS):
            if self.chance(0.08):
                self.partial_refund()
                continue
            if self.chance(0.04):
                self.payout_run()
                continue
            statuses = self.statuses()
            open_parcels = [pk for pk, status in statuses.items() if status not in ENDED]
            if not open_parcels:
                break
            sub_order = self.parcel(self.rng.choice(open_parcels))
            if not self.step(sub_order, statuses):
                break
        for pk, parcel in self.money.parcels.items():
            if parcel.pending_events:
                self.send_events(self.parcel(pk), parcel, list(parcel.pending_events))
        if self.chance(0.2):
            self.payout_run()

    def step(self, sub_order: SubOrder, statuses: dict[int, str]) -> bool:
        """One move of the parcel, chosen among those its status allows; False to stop."""
        assert self.money is not None
        parcel = self.money.parcels[sub_order.pk]
        self.subject = f"{sub_order.reference[-2:]}: "
        world, rng = self.world, self.rng
        artisan = world.artisans[[shop.pk for shop in world.shops].index(sub_order.shop_id)]
        buyer, moderator = world.buyer, world.moderator
        is_cod = self.money.method == PaymentMethod.CASH_ON_DELIVERY
        status = sub_order.status
        roll = rng.random()
        if status in (S.PAID, S.CASH_ON_DELIVERY):
            if roll < 0.85:
                self.act(
                    "accept", lambda: orders.accept_sub_order(sub_order=sub_order, artisan=artisan)
                )
            elif roll < 0.95:
                if (
                    self.act(
                        "decline",
                        lambda: orders.decline_sub_order(
                            sub_order=sub_order, artisan=artisan, reason="Out of clay."
                        ),
                    )
                    and not is_cod
                ):
                    parcel.refunded = parcel.paid
            elif is_cod:
                self.act(
                    "force cancel",
                    lambda: orders.force_cancel(
                        sub_order=sub_order, moderator=moderator, reason="Unreachable."
                    ),
                )
            else:
                self.force_refund(sub_order, parcel)
        elif status == S.ACCEPTED:
            if roll < 0.9:
                self.act(
                    "ship", lambda: fulfilment.ship_sub_order(sub_order=sub_order, artisan=artisan)
                )
                shipped = self.parcel(sub_order.pk)
                parcel.pending_events = self.carrier_events(shipped)
            elif is_cod:
                self.act(
                    "force cancel",
                    lambda: orders.force_cancel(
                        sub_order=sub_order, moderator=moderator, reason="Unreachable."
                    ),
                )
            else:
                self.force_refund(sub_order, parcel)
        elif status in (S.SHIPPED, S.IN_TRANSIT):
            if roll < 0.55 and parcel.pending_events:
                batch = parcel.pending_events[: rng.randint(1, len(parcel.pending_events))]
                self.send_events(sub_order, parcel, batch)
            elif roll < 0.8 and sub_order.out_for_delivery_at is not None:
                self.confirm_receipt(sub_order, parcel)  # before the carrier says "delivered"
            elif roll < 0.88:
                self.act(
                    "dispute",
                    lambda: orders.open_dispute(sub_order=sub_order, user=buyer, reason="Late."),
                )
            else:
                self.force_refund(sub_order, parcel)
        elif status == S.DELIVERED:
            if roll < 0.35:
                self.confirm_receipt(sub_order, parcel)
            elif roll < 0.6:
                self.auto_complete(sub_order, parcel)
            elif roll < 0.85:
                self.act(
                    "request return",
                    lambda: orders.request_return(
                        sub_order=sub_order, buyer=buyer, reason="Cracked."
                    ),
                )
            elif roll < 0.92:
                self.act(
                    "dispute",
                    lambda: orders.open_dispute(
                        sub_order=sub_order, user=artisan, reason="Unpaid."
                    ),
                )
            else:
                self.force_refund(sub_order, parcel)
        elif status == S.COMPLETED:
            if roll < 0.3:
                self.act(
                    "request return",
                    lambda: orders.request_return(
                        sub_order=sub_order, buyer=buyer, reason="Not as shown."
                    ),
                )
            elif roll < 0.4:
                self.force_refund(sub_order, parcel)
            elif all(status in ENDED | {S.COMPLETED} for status in statuses.values()):
                return False  # every parcel has reached its end; the buyer keeps this one
        elif status == S.RETURN_REQUESTED:
            if roll < 0.85:
                self.receive_return(sub_order, parcel, artisan=artisan, as_moderator=roll >= 0.55)
            else:
                self.act(
                    "dispute",
                    lambda: orders.open_dispute(
                        sub_order=sub_order, user=buyer, reason="No answer."
                    ),
                )
        elif status == S.DISPUTED:
            if roll < 0.6:
                if (
                    self.act(
                        "resolve",
                        lambda: orders.resolve_dispute(
                            sub_order=sub_order, moderator=moderator, reason="Delivered."
                        ),
                    )
                    and parcel.kept > 0
                ):
                    parcel.is_completed = True
            else:
                self.force_refund(sub_order, parcel)
        elif status in (S.RETURNED_TO_SENDER, S.LOST):
            if roll < 0.7:
                self.force_refund(sub_order, parcel)
            else:
                self.act(
                    "dispute",
                    lambda: orders.open_dispute(
                        sub_order=sub_order, user=buyer, reason="Where is it?"
                    ),
                )
        return True

    # --- Moves with money ---------------------------------------------------------------------

    def carrier_events(self, sub_order: SubOrder) -> list[dict[str, str]]:
        """What the carrier will say of this parcel: mostly delivered, now and then returned to
        the artisan or lost; each event possibly twice, in any order."""
        last = self.rng.choices(["delivered", "returned", "lost"], weights=[90, 6, 4])[0]
        statuses = (
            ("in_transit", "out_for_delivery", last)
            if last == "delivered"
            else (
                "in_transit",
                last,
            )
        )
        events = [tracking_event(sub_order, status) for status in statuses]
        events += [event for event in events if self.chance(0.4)]
        self.rng.shuffle(events)
        return events

    def send_events(
        self, sub_order: SubOrder, parcel: ParcelMoney, batch: list[dict[str, str]]
    ) -> None:
        assert self.money is not None
        self.subject = f"{sub_order.reference[-2:]}: "
        for event in batch:
            parcel.pending_events.remove(event)
        before = sub_order.status
        self.act(
            f"tracking {[event['status'] for event in batch]}",
            lambda: post_tracking(self.world.client, sub_order.carrier, batch),
        )
        after = self.parcel(sub_order.pk).status
        if self.money.method == PaymentMethod.CASH_ON_DELIVERY and before != after == S.DELIVERED:
            parcel.paid = parcel.total  # the courier collected the cash

    def confirm_receipt(self, sub_order: SubOrder, parcel: ParcelMoney) -> None:
        assert self.money is not None
        if self.act(
            "confirm receipt",
            lambda: orders.confirm_receipt(sub_order=sub_order, buyer=self.world.buyer),
        ):
            if self.money.method == PaymentMethod.CASH_ON_DELIVERY:
                parcel.paid = parcel.total  # the buyer paid the courier
            parcel.is_completed = True

    def auto_complete(self, sub_order: SubOrder, parcel: ParcelMoney) -> None:
        # The confirmation period has passed for this parcel (the clock moved, nothing else).
        SubOrder.objects.filter(pk=sub_order.pk).update(
            delivered_at=timezone.now() - datetime.timedelta(days=8)
        )
        if self.act("auto-complete", orders.complete_delivered_sub_orders):
            parcel.is_completed = True

    def force_refund(self, sub_order: SubOrder, parcel: ParcelMoney) -> None:
        world = self.world
        if self.act(
            f"force refund from {sub_order.status}",
            lambda: orders.force_refund(
                sub_order=sub_order,
                moderator=world.moderator,
                reason="Refunded by Souk.",
                approved_by=world.second_moderator,
            ),
        ):
            parcel.refunded = parcel.paid

    def receive_return(
        self, sub_order: SubOrder, parcel: ParcelMoney, *, artisan: object, as_moderator: bool
    ) -> None:
        world = self.world
        actor = world.moderator if as_moderator else artisan
        if self.act(
            "receive return" + (" (moderator)" if as_moderator else ""),
            lambda: orders.receive_return(
                sub_order=sub_order,
                actor=actor,  # type: ignore[arg-type]
                as_moderator=as_moderator,
                approved_by=world.second_moderator if as_moderator else None,
            ),
        ):
            parcel.refunded = parcel.paid

    def partial_refund(self) -> None:
        """A moderator gives back part of the order: shared among the parcels in proportion to
        what is left of each."""
        self.subject = ""
        assert self.money is not None
        assert self.order is not None
        if self.money.method == PaymentMethod.CASH_ON_DELIVERY:
            return  # not paid to the processor: nothing to refund through it
        parcels = [parcel for parcel in self.money.parcels.values() if parcel.kept > 0]
        left = sum(parcel.kept for parcel in parcels)
        if left <= 1:
            return
        smallest = min(parcel.kept for parcel in parcels)
        kind = self.rng.choice(["small", "half", "nearly all of a parcel", "all but a little"])
        amount = {
            "small": self.rng.randint(1, min(left, 5_000)),
            "half": left // 2,
            "nearly all of a parcel": smallest - self.rng.randint(0, smallest // 20),
            "all but a little": left - self.rng.randint(1, max(1, left // 50)),
        }[kind]
        order, world = self.order, self.world
        if amount <= 0 or not self.act(
            f"partial refund {amount} ({kind})",
            lambda: payments.refund_payment(
                order=order,
                amount=Money(amount, "MAD"),
                reason="Partly refunded.",
                key=uuid.UUID(int=self.rng.getrandbits(128)).hex,
                actor=world.moderator,
                approved_by=world.second_moderator,
            ),
        ):
            return
        shares = Money(amount, "MAD").allocate([parcel.kept for parcel in parcels])
        for parcel, share in zip(parcels, shares, strict=True):
            parcel.refunded += share.amount

    def payout_run(self) -> None:
        self.subject = ""
        self.act(
            "payout run",
            lambda: payout_runs.start_payout_run(key=uuid.UUID(int=self.rng.getrandbits(128)).hex),
        )


def run_lifecycle(world: World, seed: int) -> tuple[list[Finding], list[str]]:
    """One lifecycle, rolled back at its end; what broke (each finding names the seed) and the
    moves made."""
    lifecycle = Lifecycle(world, seed)
    with transaction.atomic():
        try:
            lifecycle.run()
        # A bug of the generator itself is reported like any finding, not left to stop the run.
        except Exception as error:
            lifecycle.findings.append(
                Finding("lifecycle_crashed", seed, f"{type(error).__name__}: {error}")
            )
        transaction.set_rollback(True)
    return lifecycle.findings, lifecycle.trace
