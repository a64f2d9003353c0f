"""Tracking numbers: UPU S10 with the right check digit, the carrier's service letters, and a
clash with an existing number still ships the parcel with a fresh one (issue #14, defect 9)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from souk.fulfilment import tracking_numbers
from souk.fulfilment.models import Shipment
from souk.orders.models import SubOrder, SubOrderStatus
from souk.orders.tests.factories import make_paid_order
from souk.shops.tests.factories import owner_of

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse


def url(name: str, **kwargs: object) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def ship(client: Client, parcel: SubOrder) -> _MonkeyPatchedWSGIResponse:
    """The artisan accepts the parcel and asks for its shipment, as on the parcel page."""
    client.force_login(owner_of(parcel.shop))
    client.post(url("orders:artisan_accept", reference=parcel.reference))
    return client.post(url("fulfilment:ship", reference=parcel.reference))


def numbers_then_random(monkeypatch: pytest.MonkeyPatch, *first: str) -> None:
    """Make the generator return `first`, in order, before random numbers again."""
    queue: Iterator[str] = iter(first)
    real = tracking_numbers.new_tracking_number

    def fake(carrier_code: str = "") -> str:
        return next(queue, None) or real(carrier_code)

    monkeypatch.setattr(tracking_numbers, "new_tracking_number", fake)


@pytest.mark.parametrize(
    ("serial", "digit"),
    [
        # UPU S10 example: 4*8+7*6+3*4+1*2+2*3+4*5+8*9+2*7 = 200; 200 mod 11 = 2; 11-2 = 9.
        ("47312482", 9),
        # RR123456785MA: 1*8+2*6+3*4+4*2+5*3+6*5+7*9+8*7 = 204; 204 mod 11 = 6; 11-6 = 5.
        ("12345678", 5),
        # 8*7 = 56; 56 mod 11 = 1; 11-1 = 10, written 0.
        ("00000008", 0),
        # 0; 0 mod 11 = 0; 11-0 = 11, written 5.
        ("00000000", 5),
        # 1*7 = 7; 11-7 = 4.
        ("00000001", 4),
    ],
)
def test_the_check_digit_follows_the_s10_weights(serial: str, digit: int) -> None:
    assert tracking_numbers.check_digit(serial) == digit


def test_a_number_is_valid_only_with_its_check_digit() -> None:
    assert tracking_numbers.is_valid("RR123456785MA")
    assert tracking_numbers.is_valid("EE473124829MA")
    assert not tracking_numbers.is_valid("RR123456784MA")
    assert not tracking_numbers.is_valid("SK123456789MA")  # the old nine random digits


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "carrier", "letters"),
    [("MA", "amana", "CA"), ("FR", "amana-international", "CP"), ("US", "ems", "EE")],
)
def test_a_new_shipment_gets_an_s10_number_of_its_carrier(
    client, country: str, carrier: str, letters: str
) -> None:
    # given
    parcel = make_paid_order(country=country).sub_orders.get()
    SubOrder.objects.filter(pk=parcel.pk).update(carrier=carrier)

    # when
    ship(client, parcel)

    # then
    shipment = Shipment.objects.get(sub_order=parcel)
    assert shipment.carrier.code == carrier
    assert shipment.tracking_number.startswith(letters)
    assert shipment.tracking_number.endswith("MA")
    assert len(shipment.tracking_number) == 13
    assert tracking_numbers.is_valid(shipment.tracking_number)


@pytest.mark.django_db
def test_a_clash_with_an_existing_number_still_ships_with_a_fresh_one(client, monkeypatch) -> None:
    # given: a parcel already shipped, and a generator that first draws its number again
    first = make_paid_order().sub_orders.get()
    ship(client, first)
    taken = Shipment.objects.get(sub_order=first).tracking_number
    numbers_then_random(monkeypatch, taken)
    second = make_paid_order().sub_orders.get()

    # when
    response = ship(client, second)

    # then
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == SubOrderStatus.SHIPPED
    fresh = Shipment.objects.get(sub_order=second).tracking_number
    assert fresh != taken
    assert tracking_numbers.is_valid(fresh)
    assert second.tracking_number == fresh
    assert Shipment.objects.get(tracking_number=taken).sub_order_id == first.pk


@pytest.mark.django_db
def test_clash_after_clash_is_refused_clearly_and_ships_nothing(client, monkeypatch) -> None:
    # given: a generator that only ever draws a number already used
    first = make_paid_order().sub_orders.get()
    ship(client, first)
    taken = Shipment.objects.get(sub_order=first).tracking_number
    monkeypatch.setattr(tracking_numbers, "new_tracking_number", lambda carrier_code="": taken)
    second = make_paid_order().sub_orders.get()

    # when
    response = ship(client, second)

    # then
    assert response.status_code == 503
    assert "No free tracking number could be found" in response.content.decode()
    second.refresh_from_db()
    assert second.status == SubOrderStatus.ACCEPTED
    assert not Shipment.objects.filter(sub_order=second).exists()
