"""Shipping documents read back from their PDFs: the label on a label printer and on A4, the
CN 22 and CN 23 customs declarations and the commercial invoice, for parcels to the USA,
France and Spain (and a domestic one, which has no customs papers)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.utils import timezone

from souk.core.pdf import encode_code128b
from souk.core.text import BIDI_CONTROLS
from souk.fulfilment.documents import (
    commercial_invoice_pdf,
    customs_declaration_pdf,
    label_pdf,
)
from souk.fulfilment.models import CustomsForm, Shipment
from souk.fulfilment.tests.factories_documents import (
    RECIPIENT_NAME_AR,
    SHOP_NAME_AR,
    address_of,
    make_arabic_shop,
    make_paid_order_to,
    make_rug,
    make_shipment,
    page_count,
    page_size_pt,
    pdf_text,
    read_code128,
)
from souk.orders.tests.factories import ADDRESSES

pytestmark = pytest.mark.django_db

TRACKING = "CP123456785MA"
# (country, the recipient's name and town as the label must show them, the country's name)
DESTINATIONS = [
    ("US", "Jane Miller", "Columbus, OH 43215", "United States"),
    ("FR", "Hélène Dupré", "75011 Paris", "France"),
    ("ES", "Lucía Fernández", "41701 Dos Hermanas", "Spain"),
]
A4_PT = (595.28, 841.89)
LABEL_PT = (283.46, 425.2)


def shipment_to(
    country: str,
    *,
    customs_form: str = CustomsForm.CN22,
    quantity: int = 1,
    product: dict[str, object] | None = None,
    **shipment_fields: object,
) -> Shipment:
    """The paid order of `quantity` Beni Ouarain rugs (1,200 MAD, 2.5 kg, wool, HS 570110)
    from a shop named in Arabic to `country`, handed to Amana International."""
    rug = make_rug(make_arabic_shop(), **(product or {}))
    order = make_paid_order_to(address_of(country), [(rug, quantity)])
    return make_shipment(order, customs_form=customs_form, **shipment_fields)


# Label


@pytest.mark.parametrize(("country", "name", "city_line", "country_name"), DESTINATIONS)
def test_label_shows_sender_recipient_weight_service_and_tracking_number(
    country, name, city_line, country_name
):
    # given
    shipment = shipment_to(country)

    # when
    text = pdf_text(label_pdf(shipment, page_format="label"))

    # then
    entry = shipment.sub_order.shop.register_entry
    assert SHOP_NAME_AR in text
    assert "Safi" in text
    assert "Marrakech-Safi" in text
    assert "Morocco" in text
    assert entry.register_number in text
    assert name in text
    assert city_line in text
    assert country_name in text
    assert "Amana International" in text
    assert "3.12 kg" in text
    assert "Colis / Box 1/1" in text
    assert shipment.sub_order.reference in text
    assert TRACKING in text


def test_label_writes_the_spanish_province_below_the_town_and_the_phone():
    # given
    shipment = shipment_to("ES")

    # when
    text = pdf_text(label_pdf(shipment, page_format="label"))

    # then
    assert "Calle Real 14" in text
    assert "Sevilla" in text
    assert "+34 612 34 56 78" in text


def test_label_for_a_label_printer_is_one_100_by_150_mm_page():
    # given
    shipment = shipment_to("US")

    # when
    pdf = label_pdf(shipment, page_format="label")

    # then
    assert page_size_pt(pdf) == pytest.approx(LABEL_PT, abs=0.01)
    assert page_count(pdf) == 1


def test_label_on_a4_is_one_a4_page():
    # given
    shipment = shipment_to("FR")

    # when
    pdf = label_pdf(shipment, page_format="A4")

    # then
    assert page_size_pt(pdf) == pytest.approx(A4_PT, abs=0.01)
    assert page_count(pdf) == 1
    assert TRACKING in pdf_text(pdf)


@pytest.mark.parametrize("page_format", ["label", "A4"])
def test_label_barcode_encodes_the_tracking_number(page_format):
    # given
    shipment = shipment_to("US")

    # when
    pdf = label_pdf(shipment, page_format=page_format)

    # then
    assert read_code128(pdf) == encode_code128b(TRACKING)


def test_long_tracking_number_still_fits_the_label_with_narrower_bars():
    # given: 30 characters need 363 modules, 120 mm at the usual 0.33 mm; the label has 90.
    number = "CP1234567890123456789012345678"
    shipment = shipment_to("US", tracking_number=number)

    # when
    pdf = label_pdf(shipment, page_format="label")

    # then
    assert read_code128(pdf) == encode_code128b(number)
    assert page_count(pdf) == 1


def test_domestic_label_shows_an_arabic_recipient_name():
    # given
    arabic_address = replace(ADDRESSES["MA"], full_name=RECIPIENT_NAME_AR)
    rug = make_rug(make_arabic_shop())
    order = make_paid_order_to(arabic_address, [(rug, 1)], buyer_name="Salma Alaoui")
    shipment = make_shipment(order, customs_form=CustomsForm.NONE)

    # when
    text = pdf_text(label_pdf(shipment, page_format="label"))

    # then
    assert RECIPIENT_NAME_AR in text
    assert SHOP_NAME_AR in text
    assert "Casablanca 20250" in text
    assert "CN2" not in text


# Customs declaration


@pytest.mark.parametrize(("country", "name", "city_line", "country_name"), DESTINATIONS)
def test_cn22_declares_a_sale_of_moroccan_goods_line_by_line(
    country, name, city_line, country_name
):
    # given
    shipment = shipment_to(country, quantity=2)

    # when
    text = pdf_text(customs_declaration_pdf(shipment))

    # then
    assert "Déclaration en douane / Customs declaration — CN 22" in text
    assert "CN 23" not in text
    assert "☒ Vente de marchandises / Sale of goods" in text
    assert "☐ Cadeau / Gift" in text
    assert "Hand-knotted Beni Ouarain rug (wool)" in text
    assert "570110" in text
    # Two rugs: 5.00 kg net, 2,400.00 MAD; the origin column says MA.
    assert "5.00" in text
    assert "2400.00" in text
    assert "Total net weight 5.00 kg" in text
    assert "Total value 2400.00 MAD" in text
    assert "Currency MAD" in text
    assert " MA" in text
    assert name in text
    assert country_name in text
    assert TRACKING in text
    assert SHOP_NAME_AR in text
    assert "I certify that the particulars given in this declaration are correct" in text
    assert "Fatima Bennani" in text


def test_cn23_adds_addresses_phones_gross_weight_postage_invoice_and_return_to_sender():
    # given
    shipment = shipment_to("US", customs_form=CustomsForm.CN23)
    sub_order = shipment.sub_order

    # when
    text = pdf_text(customs_declaration_pdf(shipment))

    # then
    assert "Déclaration en douane / Customs declaration — CN 23" in text
    assert "CN 22" not in text
    assert "400 W Broad St" in text
    assert "Columbus, OH 43215" in text
    assert "+1 614-555-0123" in text
    assert "Total gross weight 3.12 kg" in text
    assert f"Postage/fees {sub_order.shipping_amount / 100:.2f} MAD" in text
    assert f"Invoice no. {sub_order.reference}" in text
    assert "Importer's reference" in text
    assert "Return to sender" in text
    assert "I certify that the particulars given in this declaration are correct" in text
    assert "Fatima Bennani" in text
    # The form is dated in Morocco's time, a day after UTC's from 23:00 UTC.
    assert timezone.localdate(shipment.created_at).isoformat() in text
    assert "Signature" in text


def test_customs_description_falls_back_to_the_french_title_and_keeps_the_material():
    # given: a listing without an English title, whose French title already names its material.
    shipment = shipment_to(
        "FR", product={"title_en": "", "title_fr": "Tapis en laine noué main", "materials": "laine"}
    )

    # when
    text = pdf_text(customs_declaration_pdf(shipment))

    # then
    assert "Tapis en laine noué main" in text
    assert "(laine)" not in text


def test_customs_description_adds_the_material_to_the_french_title():
    # given
    shipment = shipment_to(
        "ES", product={"title_en": "", "title_fr": "Tapis Beni Ouarain", "materials": "laine"}
    )

    # when
    text = pdf_text(customs_declaration_pdf(shipment))

    # then
    assert "Tapis Beni Ouarain (laine)" in text


def test_unknown_net_weight_is_left_to_fill_in_and_not_summed():
    # given: a listing without its weight; the parcel was weighed at the post office.
    shipment = shipment_to(
        "US", customs_form=CustomsForm.CN23, product={"weight_grams": None}, weight_grams=2730
    )

    # when
    text = pdf_text(customs_declaration_pdf(shipment))

    # then
    assert "Total net weight ________ " in text
    assert "Total gross weight 2.73 kg" in text


def test_domestic_shipment_has_no_customs_declaration():
    # given
    order = make_paid_order_to(ADDRESSES["MA"], [(make_rug(make_arabic_shop()), 1)])
    shipment = make_shipment(order, customs_form=CustomsForm.NONE)

    # when / then
    with pytest.raises(ValueError, match="domestic"):
        customs_declaration_pdf(shipment)
    with pytest.raises(ValueError, match="domestic"):
        commercial_invoice_pdf(shipment)


def test_international_shipment_without_a_form_is_refused():
    shipment = shipment_to("FR", customs_form=CustomsForm.NONE)

    with pytest.raises(ValueError, match="no customs form"):
        customs_declaration_pdf(shipment)


# Commercial invoice


@pytest.mark.parametrize(("country", "name", "city_line", "country_name"), DESTINATIONS)
def test_commercial_invoice_shows_seller_buyer_lines_totals_and_origin(
    country, name, city_line, country_name
):
    # given
    shipment = shipment_to(country, quantity=2)
    sub_order = shipment.sub_order
    entry = sub_order.shop.register_entry

    # when
    text = pdf_text(commercial_invoice_pdf(shipment))

    # then
    assert "Facture commerciale / Commercial invoice" in text
    assert f"Invoice no. {sub_order.reference}" in text
    order = sub_order.order
    assert f"Incoterm DAP {order.ship_to_city}, {country_name} (Incoterms 2020)" in text
    assert "Fatima Bennani" in text
    assert "فاطمة بناني" in text
    assert entry.register_number in text
    assert SHOP_NAME_AR in text
    assert name in text
    assert city_line in text
    assert "Hand-knotted Beni Ouarain rug (wool)" in text
    assert "570110" in text
    assert "1200.00" in text
    assert "2400.00" in text
    shipping = sub_order.shipping_amount / 100
    assert "Goods 2400.00 MAD" in text
    assert f"Shipping {shipping:.2f} MAD" in text
    assert f"Total {2400 + shipping:.2f} MAD" in text
    assert sub_order.total_amount == 240_000 + sub_order.shipping_amount
    assert "Morocco (MA)" in text


@pytest.mark.parametrize(
    ("country", "is_preferential"), [("FR", True), ("ES", True), ("US", False)]
)
def test_commercial_invoice_states_the_origin_in_the_wording_the_destination_takes(
    country, is_preferential
):
    # given: the EU-Morocco protocol's declaration means something in France and Spain only;
    # on a US parcel it would be a false preferential claim (issue #20, defect 4)
    shipment = shipment_to(country)

    # when
    text = pdf_text(commercial_invoice_pdf(shipment))

    # then
    preferential = "these products are of Moroccan preferential origin" in text
    assert preferential is is_preferential
    plain = "the goods described in this invoice originate in Morocco (non-preferential origin)"
    assert (plain in text) is not is_preferential


def test_commercial_invoice_states_ddp_when_duties_were_paid_at_checkout():
    # given
    shipment = shipment_to("FR")

    # when
    text = pdf_text(commercial_invoice_pdf(shipment, terms="DDP"))

    # then
    assert "Incoterm DDP Paris, France (Incoterms 2020)" in text
    assert "DAP" not in text


def test_commercial_invoice_refuses_unknown_terms():
    shipment = shipment_to("FR")

    with pytest.raises(ValueError, match="Unknown delivery terms"):
        commercial_invoice_pdf(shipment, terms="EXW")


def test_direction_controls_typed_by_buyer_and_artisan_never_reach_the_papers():
    # given: an override in the recipient's street and isolates around the piece's title
    address = replace(
        ADDRESSES["US"], full_name="Jane \u202eMiller", line1="400 W \u2067Broad\u2069 St"
    )
    rug = make_rug(make_arabic_shop(), title_en="\u202eHand-knotted rug\u202c")
    order = make_paid_order_to(address, [(rug, 1)])
    shipment = make_shipment(order, customs_form=CustomsForm.CN23)

    # when
    texts = [
        pdf_text(label_pdf(shipment, page_format="label")),
        pdf_text(customs_declaration_pdf(shipment)),
        pdf_text(commercial_invoice_pdf(shipment)),
    ]

    # then
    assert "Jane Miller" in texts[0]
    assert "400 W Broad St" in texts[0]
    assert "Hand-knotted rug" in texts[2]
    for text in texts:
        assert not set(text) & BIDI_CONTROLS
