"""Printed documents of an order: the packing slip the artisan puts in the parcel.

Built with core.pdf, which shapes Arabic and sets the direction from the language, so a slip
printed in Arabic reads right to left and Latin names inside it stay readable.
"""

from __future__ import annotations

from collections.abc import Sequence

import segno
from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _

from souk.core.addresses import PostalAddress
from souk.core.pdf import PdfDocument
from souk.orders.models import Order, OrderLine, SubOrder
from souk.orders.models.order import DASH

PRINTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def shipping_address(order: Order) -> PostalAddress:
    return PostalAddress(
        full_name=order.ship_to_name,
        line1=order.ship_to_line1,
        line2=order.ship_to_line2,
        city=order.ship_to_city,
        region=order.ship_to_region,
        postal_code=order.ship_to_postal_code,
        country=order.ship_to_country,
        phone=order.ship_to_phone,
    )


def _slip_title(line: OrderLine, language: str) -> str:
    """The piece in the slip's language (the artisan's, who packs it), then the buyer's copy
    when it differs, so that both recognise it."""
    artisan_title = line.label_in(language)
    bought = f"{line.title}{DASH}{line.variant_label}" if line.variant_label else line.title
    return artisan_title if bought == artisan_title else f"{artisan_title} / {bought}"


def _write_slip(
    document: PdfDocument,
    sub_order: SubOrder,
    *,
    language: str,
    copy_note: str,
    certificates: Sequence[tuple[str, str, str]],
) -> None:
    order = sub_order.order
    shop = sub_order.shop
    with translation.override(language):
        document.heading(_("Packing slip %(reference)s") % {"reference": sub_order.reference})
        if copy_note:
            document.paragraph(copy_note)
        document.key_values(
            [
                (_("Order date"), formats.date_format(order.created_at, "DATE_FORMAT")),
                (_("From"), f"{shop.display_name} — {shop.workshop_city}".strip(" —")),
                (_("Register number"), shop.register_entry.register_number),
            ]
        )
        document.heading(_("Ship to"), level=2)
        for line in shipping_address(order).lines():
            document.paragraph(line)
        document.paragraph(order.ship_to_phone)
        document.heading(_("In this parcel"), level=2)
        document.table(
            headers=[_("Work"), _("Quantity")],
            rows=[
                [_slip_title(line, language), str(line.quantity)] for line in sub_order.lines.all()
            ],
            widths=(5, 1),
        )
        if certificates:
            document.heading(_("Certificates of origin"), level=2)
            document.paragraph(
                _(
                    "Each piece has a certificate signed by Souk. Scan its code to see that it "
                    "is genuine, who made the piece and where."
                )
            )
            for title, code, address in certificates:
                document.paragraph(f"{title} — {code}")
                document.qr_code(segno.make(address, error="m").matrix, size=28)
                document.paragraph(address)
        document.paragraph(
            _(
                "Thank you for buying from the artisans of Morocco. Questions: write to the "
                "artisan from your order page on Souk."
            )
        )


def packing_slip(
    sub_order: SubOrder,
    *,
    language: str,
    certificates: Sequence[tuple[str, str, str]] = (),
) -> bytes:
    """The packing slip of one parcel (A4): sender, recipient, the works and their quantities,
    and each piece's certificate of origin (title, code, the QR's address) once shipped.

    The copy that goes in the parcel is in the buyer's language (the order's); the artisan's
    copy follows on its own page in `language` when that is another. No prices: the slip
    travels with the goods and may be a gift."""
    order = sub_order.order
    buyer_language = order.language if order.language in PRINTED_LANGUAGES else language
    with translation.override(buyer_language):
        title = _("Packing slip %(reference)s") % {"reference": sub_order.reference}
        buyer_note = _("Buyer's copy: it goes in the parcel.")
    document = PdfDocument(title=title, language=buyer_language)
    _write_slip(
        document,
        sub_order,
        language=buyer_language,
        copy_note=buyer_note if buyer_language != language else "",
        certificates=certificates,
    )
    if buyer_language != language:
        document.new_page(language=language)
        with translation.override(language):
            artisan_note = _("Artisan's copy: keep it; the other copy goes in the parcel.")
        _write_slip(document, sub_order, language=language, copy_note=artisan_note, certificates=())
    return document.output()
