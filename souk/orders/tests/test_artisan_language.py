"""The artisan reads the pieces they sold in their own language: sales pages, packing slip and
notices show the listing's title in the artisan's language, not the buyer's (issue #17)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from souk.catalog.tests.factories import make_active_product
from souk.notifications.models import Notification
from souk.orders.models import OrderLine, SubOrder
from souk.orders.tests.factories import make_unpaid_order, record_paid
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db

BUYERS_TITLE = "Safi tagine"


def url(name: str, language: str, **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def sold_by_artisan_reading(language: str, *, paid: bool = True, capture=None) -> SubOrder:
    """A tagine listed in three languages, bought by someone reading English."""
    product = make_active_product(
        title_fr="Tajine de Safi", title_en=BUYERS_TITLE, title_ar="طاجين آسفي"
    )
    artisan = owner_of(product.shop)
    artisan.preferred_language = language
    artisan.save(update_fields=["preferred_language"])
    order = make_unpaid_order(products=[(product, 1)])
    # The line keeps the title the buyer read, in the buyer's language.
    OrderLine.objects.filter(sub_order__order=order).update(title=BUYERS_TITLE)
    if capture is not None:
        with capture(execute=True):
            record_paid(order)
    elif paid:
        record_paid(order)
    return order.sub_orders.get()


def test_the_sales_list_and_page_show_the_title_in_the_artisans_language(client):
    # given
    parcel = sold_by_artisan_reading("fr")
    client.force_login(owner_of(parcel.shop))

    # when
    listed = client.get(url("orders:artisan_list", "fr")).content.decode()
    detail = client.get(
        url("orders:artisan_detail", "fr", reference=parcel.reference)
    ).content.decode()

    # then
    assert "Tajine de Safi" in listed
    assert BUYERS_TITLE not in listed
    assert "Tajine de Safi" in detail
    assert BUYERS_TITLE not in detail


def test_the_buyer_still_reads_the_title_they_bought(client):
    # given
    parcel = sold_by_artisan_reading("ar")
    client.force_login(parcel.order.buyer)

    # when
    page = client.get(url("orders:detail", "fr", reference=parcel.order.reference)).content.decode()

    # then
    assert BUYERS_TITLE in page
    assert "Tajine de Safi" not in page


def test_the_packing_slip_names_the_piece_in_the_slips_language_then_as_bought(client):
    # given
    parcel = sold_by_artisan_reading("fr")
    client.force_login(owner_of(parcel.shop))

    # when
    slip = client.get(url("orders:packing_slip", "fr", reference=parcel.reference))

    # then
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.content)).pages)
    assert f"Tajine de Safi / {BUYERS_TITLE}" in text


def test_the_paid_order_notice_lists_the_pieces_in_the_artisans_language(
    django_capture_on_commit_callbacks,
):
    # given / when
    parcel = sold_by_artisan_reading("ar", capture=django_capture_on_commit_callbacks)

    # then
    notice = Notification.objects.get(recipient=owner_of(parcel.shop), kind="order_paid_artisan")
    assert "1 \u00d7 طاجين آسفي" in notice.body
    assert BUYERS_TITLE not in notice.body


def test_an_arabic_packing_slip_keeps_a_latin_address_in_its_order(client):
    # given: a parcel to New York, its slip printed in Arabic
    parcel = sold_by_artisan_reading("ar")
    type(parcel.order).objects.filter(pk=parcel.order_id).update(ship_to_line1="350 Fifth Avenue")
    client.force_login(owner_of(parcel.shop))

    # when
    slip = client.get(url("orders:packing_slip", "ar", reference=parcel.reference))

    # then: read back without the invisible left-to-right marks
    pages = PdfReader(io.BytesIO(slip.content)).pages
    text = "".join(page.extract_text() for page in pages).replace("\u200e", "")
    assert "350 Fifth Avenue" in text
    assert "Fifth Avenue 350" not in text
