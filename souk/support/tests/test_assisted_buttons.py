"""While an advisor acts for an artisan, the parcel page shows no step they would be refused
(accept, decline, ship, packing slip, label, dispute): the template asks the same rule as the
middleware (core/delegation.py `may_open`). The artisan themselves sees every step."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from souk.fulfilment.models import Shipment
from souk.orders.models import SubOrder
from souk.support.tests.test_assisted_messages import _texts_kept_in_memory, a_sale
from souk.support.tests.test_assisted_mode import ask_and_allow_in_app, start_acting

pytestmark = pytest.mark.django_db
__all__ = ["_texts_kept_in_memory"]


def url(name: str, parcel: SubOrder) -> str:
    with translation.override("en"):
        return reverse(name, kwargs={"reference": parcel.reference})


def steps_of_a_paid_parcel(parcel: SubOrder) -> list[str]:
    return [
        url("orders:artisan_accept", parcel),
        url("orders:artisan_decline", parcel),
        url("orders:packing_slip", parcel),
    ]


def test_a_paid_parcel_shows_no_refused_step_while_acting(client):
    advisor, artisan, _order, parcel = a_sale()
    own = Client()
    own.force_login(artisan)
    page = own.get(url("orders:artisan_detail", parcel)).content.decode()
    for step in steps_of_a_paid_parcel(parcel):
        assert step in page  # the artisan sees every step
    assert ">Accept<" in page
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    # when the advisor opens the same parcel for the artisan
    response = client.get(url("orders:artisan_detail", parcel))
    assert response.status_code == 200
    page = response.content.decode()
    # then no step of the sale is offered, but the buyer's messages can be answered
    for step in steps_of_a_paid_parcel(parcel):
        assert step not in page
    assert ">Accept<" not in page
    assert "Answer before" not in page
    assert url("orders:artisan_message", parcel) in page


def test_a_shipped_parcel_shows_no_ship_form_nor_label_while_acting(client):
    advisor, artisan, _order, parcel = a_sale()
    own = Client()
    own.force_login(artisan)
    own.post(url("orders:artisan_accept", parcel))
    page = own.get(url("orders:artisan_detail", parcel)).content.decode()
    assert url("fulfilment:ship", parcel) in page
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    page = client.get(url("orders:artisan_detail", parcel)).content.decode()
    assert url("fulfilment:ship", parcel) not in page
    # once shipped by the artisan, they see the label; the advisor does not
    own.post(url("fulfilment:ship", parcel))
    shipment = Shipment.objects.get(sub_order=parcel)
    with translation.override("en"):
        label = reverse("fulfilment:label", args=[shipment.tracking_number])
    assert label in own.get(url("orders:artisan_detail", parcel)).content.decode()
    page = client.get(url("orders:artisan_detail", parcel)).content.decode()
    assert label not in page
    assert client.get(label).status_code == 403  # and it would have been refused
