"""Parcel papers of a real shipment (issue #20, defect 4): the packing slip in the buyer's
language with the artisan's copy in theirs; a label and tracking number per box under one
master reference; the workshop's street and phone as the sender, asked for before the first
shipment; gross weight = net weight + packaging."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from souk.catalog.tests.factories import make_active_product
from souk.fulfilment import services as fulfilment
from souk.fulfilment.documents import commercial_invoice_pdf, customs_declaration_pdf, label_pdf
from souk.fulfilment.models import CustomsForm, Shipment, ShipmentBox
from souk.fulfilment.tests.factories_documents import pdf_text
from souk.orders import services as orders
from souk.orders.models import Order, SubOrder, SubOrderStatus
from souk.orders.tests.factories import make_paid_order
from souk.shops.models import Shop
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db

STREET = "12 derb Sidi Bouzid"


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def accepted_parcel(*, country: str = "US", weight_grams: int = 2500, quantity: int = 1):
    """A paid parcel of `quantity` pieces bought by a New Yorker reading English, accepted."""
    piece = make_active_product(
        title_en="Safi tagine",
        title_fr="Tajine de Safi",
        title_ar="طاجين آسفي",
        weight_grams=weight_grams,
        stock_quantity=5,
    )
    order = make_paid_order(country=country, products=[(piece, quantity)])
    Order.objects.filter(pk=order.pk).update(language="en")
    parcel = order.sub_orders.get()
    orders.accept_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop))
    return SubOrder.objects.get(pk=parcel.pk)


def ship(parcel: SubOrder) -> Shipment:
    fulfilment.ship_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop))
    return Shipment.objects.get(sub_order=parcel)


def pages_of(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_packing_slip_is_in_the_buyers_language_with_the_artisans_copy_in_theirs(client):
    # given: a New York buyer reading English, an artisan reading Arabic
    parcel = accepted_parcel()
    client.force_login(owner_of(parcel.shop))

    # when: the artisan prints the slip from their Arabic page
    slip = client.get(url("orders:packing_slip", "ar", reference=parcel.reference))

    # then: the buyer's copy first, in English; the artisan's copy after, in Arabic
    buyer_copy, artisan_copy = pages_of(slip.content)
    assert f"Packing slip {parcel.reference}" in buyer_copy
    assert "Buyer's copy: it goes in the parcel." in buyer_copy
    assert "Safi tagine" in buyer_copy
    assert "طاجين آسفي" not in buyer_copy
    assert "Packing slip" not in artisan_copy
    assert "طاجين آسفي" in artisan_copy


def test_a_two_box_parcel_has_a_label_and_tracking_number_per_box_under_a_master():
    # given: two 20 kg rugs, more than one 30 kg box takes
    parcel = accepted_parcel(weight_grams=20_000, quantity=2)

    # when
    shipment = ship(parcel)

    # then
    first, second = ShipmentBox.objects.filter(shipment=shipment)
    assert shipment.parcel_count == 2
    assert first.tracking_number == shipment.tracking_number
    assert second.tracking_number != first.tracking_number
    assert second.tracking_number.endswith("MA")
    labels = pages_of(label_pdf(shipment, page_format="label"))
    assert len(labels) == 2
    assert "Colis / Box 1/2" in labels[0]
    assert "Colis / Box 2/2" in labels[1]
    assert second.tracking_number in labels[1]
    assert second.tracking_number not in labels[0]
    assert f"Shipment (master) {shipment.tracking_number}" in labels[1]


def test_the_carriers_event_for_the_second_box_finds_its_shipment():
    # given
    shipment = ship(accepted_parcel(weight_grams=20_000, quantity=2))
    Shipment.objects.filter(pk=shipment.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    second = ShipmentBox.objects.get(shipment=shipment, number=2)

    # when
    was_new = fulfilment.apply_tracking(
        fulfilment.TrackingUpdate(
            tracking_number=second.tracking_number,
            event_id="box-2-accepted",
            status="in_transit",
            happened_at=timezone.now() - datetime.timedelta(hours=1),
        ),
        carrier_code=shipment.carrier.code,
    )

    # then
    assert was_new
    assert Shipment.objects.get(pk=shipment.pk).status == "in_transit"


def test_gross_weight_is_the_net_weight_plus_packaging_on_the_customs_form():
    # when
    shipment = ship(accepted_parcel(weight_grams=2500))

    # then: 2.5 kg of pieces in 250 g of box and 250 g of padding
    assert shipment.net_weight_grams == 2500
    assert shipment.weight_grams == 2500 + 250 + 250
    Shipment.objects.filter(pk=shipment.pk).update(customs_form=CustomsForm.CN23)
    text = pdf_text(customs_declaration_pdf(Shipment.objects.get(pk=shipment.pk)))
    assert "Total net weight 2.50 kg" in text
    assert "Total gross weight 3.00 kg" in text
    assert "3.00 kg" in pdf_text(label_pdf(shipment, page_format="A4"))


def test_the_sender_is_the_workshops_street_and_phone_on_label_cn23_and_invoice():
    # given
    shipment = ship(accepted_parcel())
    Shipment.objects.filter(pk=shipment.pk).update(customs_form=CustomsForm.CN23)
    shipment = Shipment.objects.get(pk=shipment.pk)

    # when
    papers = [
        pdf_text(label_pdf(shipment, page_format="label")),
        pdf_text(customs_declaration_pdf(shipment)),
        pdf_text(commercial_invoice_pdf(shipment)),
    ]

    # then
    for text in papers:
        assert STREET in text
        assert "46000 Safi" in text
        assert "+212 5 24 46 12 34" in text


def test_the_first_shipment_asks_for_the_workshop_address_and_refuses_without_it(client):
    # given: a shop that never gave where its parcels leave from
    parcel = accepted_parcel()
    Shop.objects.filter(pk=parcel.shop_id).update(
        workshop_address="", workshop_postal_code="", workshop_phone=""
    )
    client.force_login(owner_of(parcel.shop))

    # when: the artisan's parcel page, then "ship" without the address
    page = client.get(url("orders:artisan_detail", "fr", reference=parcel.reference))
    refused = client.post(url("fulfilment:ship", "fr", reference=parcel.reference), follow=True)

    # then
    assert "Adresse de l'atelier" in page.content.decode()
    assert "avant la première expédition" in refused.content.decode()
    assert not Shipment.objects.filter(sub_order=parcel).exists()
    assert SubOrder.objects.get(pk=parcel.pk).status == SubOrderStatus.ACCEPTED

    # when: a bad phone changes nothing either
    client.post(
        url("fulfilment:ship", "fr", reference=parcel.reference),
        {"workshop_address": STREET, "workshop_postal_code": "46000", "workshop_phone": "12"},
    )
    assert Shop.objects.get(pk=parcel.shop_id).workshop_address == ""
    assert not Shipment.objects.filter(sub_order=parcel).exists()

    # when: given, the parcel ships and the shop keeps them
    client.post(
        url("fulfilment:ship", "fr", reference=parcel.reference),
        {
            "workshop_address": STREET,
            "workshop_postal_code": "46000",
            "workshop_phone": "0524 46 12 34",
        },
    )
    shop = Shop.objects.get(pk=parcel.shop_id)
    assert (shop.workshop_address, shop.workshop_phone) == (STREET, "+212524461234")
    assert SubOrder.objects.get(pk=parcel.pk).status == SubOrderStatus.SHIPPED
