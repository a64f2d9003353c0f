"""Shipments for the document tests, on orders placed through the real use cases, and readers
for what the PDFs hold: their text, their page size and the value of their Code 128 barcode."""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
from collections import Counter
from typing import Any

from pypdf import PdfReader

from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.core.addresses import PostalAddress
from souk.core.pdf import CODE128_PATTERNS
from souk.fulfilment.models import Shipment
from souk.orders import services as orders
from souk.orders.models import Order, PaymentMethod
from souk.orders.tests.factories import ADDRESSES, fill_cart, make_buyer, record_paid
from souk.shipping.models import Carrier
from souk.shops.models import Shop
from souk.shops.tests.factories import make_approved_shop

SHOP_NAME_AR = "تعاونية الفخار آسفي"
RECIPIENT_NAME_AR = "سلمى العلوي"
# The box and its padding, added to the works' weight for the parcel's gross weight.
PACKAGING_GRAMS = 620

# Spain is not among the order factories' addresses. A town whose province has another name,
# so the address gets its province line.
SPAIN = PostalAddress(
    full_name="Lucía Fernández",
    line1="Calle Real 14",
    line2="2º B",
    city="Dos Hermanas",
    region="41",
    postal_code="41701",
    country="ES",
    phone="+34612345678",
)


def make_arabic_shop() -> Shop:
    """An approved shop of a person (Fatima Bennani, Safi) whose shop name is in Arabic."""
    shop = make_approved_shop()
    shop.display_name = SHOP_NAME_AR
    shop.save(update_fields=["display_name"])
    return shop


def make_rug(shop: Shop, **fields: Any) -> Product:
    """A rug described in English and French, wool, 1,200 MAD, 2.5 kg, HS 5701.10."""
    values: dict[str, Any] = {
        "title_en": "Hand-knotted Beni Ouarain rug",
        "title_fr": "Tapis Beni Ouarain noué main",
        "description_en": "A rug knotted by hand in the Middle Atlas.",
        "materials": "wool",
        "hs_code": "570110",
        "weight_grams": 2500,
        "price_amount": 120_000,
        "stock_quantity": 5,
    }
    return make_active_product(shop=shop, **(values | fields))


def make_paid_order_to(
    address: PostalAddress, products: list[tuple[Product, int]], *, buyer_name: str = ""
) -> Order:
    """An order of `products` to `address`, placed through checkout and paid by card."""
    buyer = make_buyer(full_name=buyer_name or address.full_name)
    fill_cart(buyer, products)
    cart = orders.get_or_create_cart(user=buyer, cart_id=None)
    order = orders.place_order(
        buyer=buyer,
        cart=cart,
        address=address,
        payment_method=PaymentMethod.CARD,
        checkout_token=uuid.uuid4().hex,
        currency="MAD",
        language="fr",
    )
    record_paid(order)
    return Order.objects.get(pk=order.pk)


def address_of(country: str) -> PostalAddress:
    return SPAIN if country == "ES" else ADDRESSES[country]


def make_carrier(**fields: Any) -> Carrier:
    values: dict[str, Any] = {
        "code": "amana-international",
        "name": "Amana International",
        "max_weight_grams": 30_000,
        "max_length_mm": 1500,
        "max_girth_mm": 3000,
    }
    carrier, _ = Carrier.objects.get_or_create(code=values["code"], defaults=values | fields)
    return carrier


def make_shipment(order: Order, *, customs_form: str, **fields: Any) -> Shipment:
    """The shipment of the order's one sub-order, as the shipping service would record it."""
    sub_order = order.sub_orders.get()
    net_weight_grams = sum(
        (line.weight_grams or 0) * line.quantity for line in sub_order.lines.all()
    )
    values: dict[str, Any] = {
        "sub_order": sub_order,
        "carrier": make_carrier(),
        "tracking_number": "CP123456785MA",
        "destination_country": order.ship_to_country,
        "zone": sub_order.shipping_zone,
        "weight_grams": net_weight_grams + PACKAGING_GRAMS,
        "chargeable_weight_grams": net_weight_grams + PACKAGING_GRAMS,
        "declared_value_amount": sub_order.items_amount,
        "customs_form": customs_form,
    }
    return Shipment.objects.create(**(values | fields))


# --- Reading the PDFs -------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """Every page's text, each run of whitespace made one space so that sentences wrapped over
    lines still read whole. Arabic comes back in logical order (see core/tests/test_pdf.py)."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_size_pt(pdf: bytes) -> tuple[float, float]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return float(box.width), float(box.height)


_FILLED_RECTANGLE = re.compile(r"(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re f")


def read_code128(pdf: bytes) -> list[int]:
    """The symbol values of the Code 128 barcode drawn on the first page, read from its bars.

    The bars are the filled rectangles sharing one baseline and height; the spaces are the gaps
    between them. Widths are turned into modules (the narrowest bar is one) and cut into
    symbols of six elements, the stop's seven."""
    contents = PdfReader(io.BytesIO(pdf)).pages[0].get_contents()
    assert contents is not None
    rectangles = [
        tuple(float(number) for number in match.groups())
        for match in _FILLED_RECTANGLE.finditer(contents.get_data().decode("latin-1"))
    ]
    (baseline, height), _ = Counter((y, h) for _, y, _, h in rectangles).most_common(1)[0]
    bars = sorted((x, w) for x, y, w, h in rectangles if (y, h) == (baseline, height))
    module = min(width for _, width in bars)
    elements: list[float] = []
    for (x, width), (next_x, _) in zip(bars, [*bars[1:], (None, None)], strict=True):
        elements.append(width)
        if next_x is not None:
            elements.append(next_x - (x + width))
    modules = "".join(str(round(width / module)) for width in elements)
    symbols = [modules[start : start + 6] for start in range(0, len(modules) - 7, 6)]
    symbols.append(modules[-7:])
    return [CODE128_PATTERNS.index(pattern) for pattern in symbols]
