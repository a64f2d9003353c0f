"""Use cases of fulfilment: create a sub-order's shipment, apply the carrier's tracking events.

A shipment is created when the artisan marks a sub-order shipped (ship_sub_order, one
transaction with the sub-order's move): the carrier the buyer chose at checkout, the parcels as
quotes.py packs them, the customs form by declared value, the export lines for statistics.
Tracking events arrive by a signed webhook or a CSV; each counts once (its id), an older event
never moves a shipment back (SHIPMENT_MACHINE; it is recorded as out of order), and the
sub-order follows (in transit, delivered, returned, lost).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from souk.accounts.models import User
from souk.core import audit, machine
from souk.core.errors import IllegalTransition
from souk.core.machine import Actor, Machine, transition
from souk.core.money import Money
from souk.fulfilment import certificates, tracking_numbers
from souk.fulfilment.models import (
    CustomsForm,
    ExportLine,
    Shipment,
    ShipmentBox,
    ShipmentStatus,
    TrackingEvent,
)
from souk.orders import pricing
from souk.orders import services as orders
from souk.orders.models import OrderLine, SubOrder
from souk.shipping import quotes
from souk.shipping.services import ShippingError

CURRENCY = "MAD"
# A carrier's event may be dated this far ahead of our clock (its clock runs a little fast).
FUTURE_TOLERANCE = datetime.timedelta(minutes=5)
# How many fresh tracking numbers a new shipment tries before giving up (a clash is about one
# in 10**8 / shipments so far: five in a row mean something else is wrong).
TRACKING_NUMBER_ATTEMPTS = 5
_ON_THE_WAY = {
    ShipmentStatus.CREATED,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.OUT_FOR_DELIVERY,
}
# Every move a shipment may make, on the carrier's word (the system), and nothing else: an
# event never moves a shipment back, and delivered, returned and lost are final.
SHIPMENT_TRANSITIONS = (
    transition("in_transit", {ShipmentStatus.CREATED}, ShipmentStatus.IN_TRANSIT, {Actor.SYSTEM}),
    transition(
        "out_for_delivery",
        {ShipmentStatus.CREATED, ShipmentStatus.IN_TRANSIT},
        ShipmentStatus.OUT_FOR_DELIVERY,
        {Actor.SYSTEM},
    ),
    transition("deliver", _ON_THE_WAY, ShipmentStatus.DELIVERED, {Actor.SYSTEM}),
    transition("return", _ON_THE_WAY, ShipmentStatus.RETURNED, {Actor.SYSTEM}),
    transition("lose", _ON_THE_WAY, ShipmentStatus.LOST, {Actor.SYSTEM}),
)
# The move a carrier's event asks for, by the status it reports.
TRACKING_ACTIONS = {
    ShipmentStatus.IN_TRANSIT: "in_transit",
    ShipmentStatus.OUT_FOR_DELIVERY: "out_for_delivery",
    ShipmentStatus.DELIVERED: "deliver",
    ShipmentStatus.RETURNED: "return",
    ShipmentStatus.LOST: "lose",
}


class IllegalShipmentTransition(ShippingError, IllegalTransition):
    code = "illegal_shipment_transition"
    http_status = 409


SHIPMENT_MACHINE = Machine(
    name="shipment",
    transitions=SHIPMENT_TRANSITIONS,
    illegal=IllegalShipmentTransition,
    not_allowed=IllegalShipmentTransition,
)


class UnknownTrackingNumber(ShippingError):
    code = "unknown_tracking_number"
    http_status = 404
    message = _("No shipment has this tracking number.")


class TrackingEventInTheFuture(ShippingError):
    code = "tracking_event_in_the_future"
    message = _("The event is dated in the future.")


class NoFreeTrackingNumber(ShippingError):
    code = "no_free_tracking_number"
    http_status = 503
    message = _("No free tracking number could be found for this parcel. Please try again.")


class WorkshopAddressMissing(ShippingError):
    code = "workshop_address_missing"
    message = _(
        "Give your workshop's street address, postal code and phone before the first "
        "shipment: carriers and customs need them, and they are printed as the sender."
    )


class TrackingFileRefused(ShippingError):
    code = "tracking_file_refused"
    message = _(
        "This is not a tracking file: it needs the columns tracking_number, event_id, status, "
        "happened_at."
    )


def cn22_limit() -> Money:
    """Above this declared value, a CN23 replaces the CN22 (300 SDR, in MAD)."""
    return Money(settings.SOUK_CN22_LIMIT_AMOUNT, CURRENCY)


def _lines_of(sub_order: SubOrder) -> list[OrderLine]:
    return list(sub_order.lines.select_related("product", "variant"))


def create_shipment(*, sub_order: SubOrder) -> Shipment:
    """The shipment of `sub_order` with the carrier chosen at checkout (or the cheapest that
    can take it now); idempotent. Call inside the transaction that marks the sub-order shipped
    (ship_sub_order).
    Raises quotes.NoCarrier when no carrier can take the parcel any more."""
    existing = Shipment.objects.filter(sub_order=sub_order).first()
    if existing is not None:
        return existing
    order = sub_order.order
    lines = _lines_of(sub_order)
    works = Money(sub_order.items_amount, CURRENCY)
    quote = pricing.quote_shipping(
        shop_id=sub_order.shop_id,
        lines=[(line.product, line.variant, line.quantity) for line in lines],
        country=order.ship_to_country,
        works_value=works,
        carrier_code=sub_order.carrier,
    )
    option = next(o for o in quote.options if o.carrier.code == quote.carrier_code)
    is_international = order.ship_to_country != "MA"
    customs_form = CustomsForm.NONE
    if is_international:
        customs_form = CustomsForm.CN22 if works <= cn22_limit() else CustomsForm.CN23
    boxes = [
        ShipmentBox(
            number=number,
            net_weight_grams=parcel.weight_grams,
            gross_weight_grams=parcel.gross_weight_grams,
            chargeable_weight_grams=parcel.chargeable_grams(option.carrier),
        )
        for number, parcel in enumerate(option.parcels, start=1)
    ]
    shipment = Shipment(
        sub_order=sub_order,
        carrier=option.carrier,
        destination_country=order.ship_to_country,
        zone=option.zone,
        weight_grams=sum(box.gross_weight_grams for box in boxes),
        net_weight_grams=option.weight_grams,
        chargeable_weight_grams=sum(box.chargeable_weight_grams for box in boxes),
        parcel_count=len(boxes),
        declared_value_amount=works.amount,
        customs_form=customs_form,
    )
    _save_with_a_free_tracking_number(shipment)
    _number_the_boxes(shipment, boxes)
    # Every piece leaves with its signed certificate of origin (its QR is on the packing slip).
    certificates.issue_for_shipment(shipment)
    if is_international:
        ExportLine.objects.bulk_create(
            ExportLine(
                shipment=shipment,
                destination_country=order.ship_to_country,
                sector_code=line.sector_id,
                hs_code=line.hs_code,
                quantity=line.quantity,
                net_weight_grams=(line.weight_grams or quotes.DEFAULT_WEIGHT_GRAMS) * line.quantity,
                declared_value_amount=line.line_amount,
                shipped_at=shipment.created_at,
            )
            for line in lines
        )
    return shipment


@transaction.atomic
def ship_sub_order(*, sub_order: SubOrder, artisan: User) -> SubOrder:
    """The parcel is ready: Souk creates the shipment with the carrier the buyer chose (label,
    customs papers, tracking number) and the sub-order is shipped. Raises NotAllowedForRole
    (orders) for anyone but the shop's people, quotes.NoCarrier when no carrier can take it,
    WorkshopAddressMissing while the shop's street address or phone (the sender) is unknown."""
    locked = orders.lock_sub_order_to_ship(sub_order=sub_order, artisan=artisan)
    if not locked.shop.can_ship:
        raise WorkshopAddressMissing(detail={"shop": locked.shop_id})
    shipment = create_shipment(sub_order=locked)
    return orders.mark_shipped(
        sub_order=locked,
        artisan=artisan,
        carrier_code=shipment.carrier.code,
        tracking_number=shipment.tracking_number,
    )


def _is_taken(number: str) -> bool:
    return (
        Shipment.objects.filter(tracking_number=number).exists()
        or ShipmentBox.objects.filter(tracking_number=number).exists()
    )


def _number_the_boxes(shipment: Shipment, boxes: list[ShipmentBox]) -> None:
    """Box 1 takes the shipment's (master) number; every other box a fresh number of the same
    carrier, so that each box has its own label. Raises NoFreeTrackingNumber after
    TRACKING_NUMBER_ATTEMPTS clashes for one box."""
    for box in boxes:
        box.shipment = shipment
        if box.number == 1:
            box.tracking_number = shipment.tracking_number
        else:
            for _attempt in range(TRACKING_NUMBER_ATTEMPTS):
                box.tracking_number = tracking_numbers.new_tracking_number(shipment.carrier.code)
                if not _is_taken(box.tracking_number):
                    break
            else:
                raise NoFreeTrackingNumber(detail={"sub_order": shipment.sub_order_id})
        box.save(force_insert=True)


def _save_with_a_free_tracking_number(shipment: Shipment) -> None:
    """Insert `shipment` with a fresh S10 number of its carrier; on a clash with an existing
    number, try another (each try in its own savepoint). Raises NoFreeTrackingNumber after
    TRACKING_NUMBER_ATTEMPTS clashes."""
    for _attempt in range(TRACKING_NUMBER_ATTEMPTS):
        shipment.tracking_number = tracking_numbers.new_tracking_number(shipment.carrier.code)
        try:
            with transaction.atomic():
                shipment.save(force_insert=True)
            return
        except IntegrityError:
            shipment.pk = None
            if not Shipment.objects.filter(tracking_number=shipment.tracking_number).exists():
                raise  # another constraint (the sub-order's one shipment): not ours to retry
    raise NoFreeTrackingNumber(detail={"sub_order": shipment.sub_order_id})


@dataclass(frozen=True, slots=True)
class TrackingUpdate:
    tracking_number: str
    event_id: str
    status: str
    happened_at: datetime.datetime
    location: str = ""
    description: str = ""


def latest_acceptable_moment() -> datetime.datetime:
    """An event dated after this is refused: a carrier's clock may be a little ahead, no more."""
    return timezone.now() + FUTURE_TOLERANCE


def apply_tracking(update: TrackingUpdate, *, carrier_code: str | None = None) -> bool:
    """Record a carrier's event and move the shipment and its sub-order; False when the event
    was already known (a duplicate has no effect). With `carrier_code`, only that carrier's
    shipments are found. Raises UnknownTrackingNumber, TrackingEventInTheFuture.

    An event dated in the future would stay "the latest" and freeze the shipment (every real
    event after it would look older): it is refused, and one stored before is ignored."""
    horizon = latest_acceptable_moment()
    if update.happened_at > horizon:
        raise TrackingEventInTheFuture(detail={"event_id": update.event_id})
    with transaction.atomic():
        # The shipment alone: follow_tracking then locks the order and its sub-order in the
        # lock order (docs/architecture.md); a joined row locked here would come first.
        shipments = Shipment.objects.select_for_update(of=("self",)).select_related(
            "sub_order__order"
        )
        if carrier_code is not None:
            shipments = shipments.filter(carrier__code=carrier_code)
        # A box's own number finds its shipment too (each box has a label); the shipment moves
        # on the events of any of its boxes, in time order.
        shipment = (
            shipments.filter(tracking_number=update.tracking_number).first()
            or shipments.filter(boxes__tracking_number=update.tracking_number).first()
        )
        if shipment is None:
            raise UnknownTrackingNumber(detail={"tracking_number": update.tracking_number})
        latest = (
            shipment.events.filter(happened_at__lte=horizon).order_by("-happened_at", "-id").first()
        )
        try:
            with transaction.atomic():
                TrackingEvent.objects.create(
                    shipment=shipment,
                    external_id=update.event_id,
                    status=update.status,
                    happened_at=update.happened_at,
                    location=update.location[:100],
                    description=update.description[:200],
                )
        except IntegrityError:
            return False
        if update.status == shipment.status:
            # The carrier scanned the parcel again where it already is: history, no move.
            return True
        try:
            # An event older than the latest one is history, not news.
            if latest is not None and update.happened_at < latest.happened_at:
                raise IllegalShipmentTransition(detail={"from": shipment.status})
            move_shipment(shipment, update=update)
        except IllegalShipmentTransition:
            # Out of order (late, backwards or after the end): kept as history and said so;
            # the shipment stays where it is.
            audit.record(
                actor=None,
                action="shipment.out_of_order",
                target=shipment,
                data={"event_id": update.event_id, "status": update.status},
            )
            return True
        orders.follow_tracking(sub_order=shipment.sub_order, status=update.status)
    return True


def move_shipment(shipment: Shipment, *, update: TrackingUpdate) -> None:
    """Move a locked shipment as the carrier's event says (core.machine, as the system).
    Raises IllegalShipmentTransition for an event that would move it back or past its end."""
    action = TRACKING_ACTIONS.get(ShipmentStatus(update.status), "")
    machine.move(
        shipment,
        machine=SHIPMENT_MACHINE,
        action=action,
        actor=None,
        role=Actor.SYSTEM,
        reason=f"carrier event {update.event_id}",
        stamps=lambda transition, now: (
            {"delivered_at": update.happened_at}
            if transition.target == ShipmentStatus.DELIVERED
            else {}
        ),
    )


TRACKING_COLUMNS = ("tracking_number", "event_id", "status", "happened_at")


@dataclass(frozen=True, slots=True)
class RejectedLine:
    line: int
    reason: str | Promise


@dataclass(frozen=True, slots=True)
class TrackingImport:
    applied: int
    duplicates: int
    rejected: list[RejectedLine]


def import_tracking(*, path: Path) -> TrackingImport:
    """Apply a carrier's tracking CSV (docs/formats.md); bad lines are reported, not applied."""
    reader = csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
    if not set(TRACKING_COLUMNS) <= set(reader.fieldnames or []):
        raise TrackingFileRefused(detail={"columns": reader.fieldnames})
    applied = duplicates = 0
    rejected: list[RejectedLine] = []
    for number, row in enumerate(reader, start=2):
        happened_at = parse_datetime((row.get("happened_at") or "").strip())
        status = (row.get("status") or "").strip()
        if happened_at is None:
            rejected.append(RejectedLine(number, _("The date and time are not readable.")))
            continue
        if timezone.is_naive(happened_at):
            happened_at = timezone.make_aware(happened_at)
        if status not in ShipmentStatus.values or status == ShipmentStatus.CREATED:
            rejected.append(RejectedLine(number, _("The status is not one we know.")))
            continue
        try:
            was_new = apply_tracking(
                TrackingUpdate(
                    tracking_number=(row.get("tracking_number") or "").strip(),
                    event_id=(row.get("event_id") or "").strip(),
                    status=status,
                    happened_at=happened_at,
                    location=(row.get("location") or "").strip(),
                    description=(row.get("description") or "").strip(),
                )
            )
        except UnknownTrackingNumber:
            rejected.append(RejectedLine(number, _("No shipment has this tracking number.")))
            continue
        except TrackingEventInTheFuture:
            rejected.append(RejectedLine(number, _("The event is dated in the future.")))
            continue
        applied += was_new
        duplicates += not was_new
    return TrackingImport(applied=applied, duplicates=duplicates, rejected=rejected)
