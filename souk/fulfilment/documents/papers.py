"""Printed papers of a shipment: the parcel label, the CN 22 / CN 23 customs declaration and the
commercial invoice.

They are read by carriers and customs officers, not by the buyer, so their fixed words do not
follow anyone's language: every label is French and English side by side ("Expéditeur /
From"), French first as on the UPU forms (French is the UPU's official language), and the
document's base direction is left to right. What the parties wrote (shop names, legal names,
addresses) is printed as written; core.pdf shapes Arabic inside those lines.

Amounts are MAD (the order's currency) with two decimals and weights kilograms with two
decimals, both with a decimal point and no grouping, so a French and an English reader both
read them the same way. Dates are ISO (2026-01-31) for the same reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

from souk.core.addresses import EU_COUNTRIES
from souk.core.pdf import CODE128_PATTERNS, LABEL_100X150, PageFormat, PdfDocument, encode_code128b
from souk.fulfilment.documents.parcel import (
    BLANK,
    ORIGIN_COUNTRY,
    _country_name,
    _decimal_amount,
    _kilograms,
    _load,
    _money,
    _Parcel,
    _phone,
    _weight,
)
from souk.fulfilment.models import CustomsForm, Shipment
from souk.shipping.models import DeliveryTerms

__all__ = [
    "commercial_invoice_pdf",
    "customs_declaration_pdf",
    "label_pdf",
]

# The PDF's language tag and base direction; the labels themselves are bilingual.
DOCUMENT_LANGUAGE: Final = "fr"
# Code 128 needs ten modules of white on each side of the symbol (core.pdf draws them).
_CODE128_QUIET_MODULES: Final = 10


def _both(french: str, english: str) -> str:
    """A fixed label in both languages: "Expéditeur / From"; a word both share, once."""
    return french if french == english else f"{french} / {english}"


CERTIFICATION: Final = (
    "Je certifie que les renseignements donnés dans la présente déclaration sont exacts et que "
    "cet envoi ne contient aucun objet dangereux ou interdit par la législation ou la "
    "réglementation postale ou douanière.\n"
    "I certify that the particulars given in this declaration are correct and that this item "
    "does not contain any dangerous article or articles prohibited by legislation or by postal "
    "or customs regulations."
)
# The origin declaration of the EU-Morocco protocol on rules of origin (the invoice
# declaration); above EUR 6,000 it needs an approved exporter's authorisation number.
ORIGIN_DECLARATION: Final = (
    "L'exportateur des produits couverts par le présent document déclare que, sauf indication "
    "claire du contraire, ces produits ont l'origine préférentielle marocaine.\n"
    "The exporter of the products covered by this document declares that, except where "
    "otherwise clearly indicated, these products are of Moroccan preferential origin."
)
# Where that declaration means something: the EU (Euro-Mediterranean Association Agreement),
# the United Kingdom (UK-Morocco Association Agreement) and EFTA (EFTA-Morocco FTA), whose
# protocols use the same invoice declaration.
PREFERENTIAL_DECLARATION_COUNTRIES: Final = EU_COUNTRIES | {"GB", "CH", "NO", "IS", "LI"}
# Everywhere else (the United States, whose FTA preference the importer claims itself, Canada,
# ...) the invoice states the plain, non-preferential origin: a preferential declaration there
# is a false statement to customs.
NON_PREFERENTIAL_DECLARATION: Final = (
    "L'exportateur déclare que les marchandises décrites dans la présente facture sont "
    "originaires du Maroc (origine non préférentielle), où elles ont été fabriquées.\n"
    "The exporter declares that the goods described in this invoice originate in Morocco "
    "(non-preferential origin), where they were made."
)


def origin_declaration(country: str) -> str:
    """The invoice's origin statement for a parcel to `country` (ISO 3166 alpha-2)."""
    if country in PREFERENTIAL_DECLARATION_COUNTRIES:
        return ORIGIN_DECLARATION
    return NON_PREFERENTIAL_DECLARATION


# --- Label ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _LabelLayout:
    page_format: PageFormat
    page_width_mm: float
    margin_mm: float
    font_size: float
    barcode_height_mm: float


_LABEL_LAYOUTS: Final[dict[str, _LabelLayout]] = {
    "label": _LabelLayout(
        page_format=LABEL_100X150,
        page_width_mm=LABEL_100X150[0],
        margin_mm=5.0,
        font_size=8.5,
        barcode_height_mm=18.0,
    ),
    "A4": _LabelLayout(
        page_format="A4",
        page_width_mm=210.0,
        margin_mm=15.0,
        font_size=11.0,
        barcode_height_mm=22.0,
    ),
}
# 0.33 mm is what 203 dpi label printers scan reliably; a long number gets narrower bars.
_PREFERRED_MODULE_WIDTH_MM: Final = 0.33


def _module_width(value: str, *, available_mm: float) -> float:
    modules = sum(
        int(width) for symbol in encode_code128b(value) for width in CODE128_PATTERNS[symbol]
    )
    fitting = available_mm / (modules + 2 * _CODE128_QUIET_MODULES)
    # Rounded down to a micrometre, so the symbol never exceeds the width by a float's error.
    return min(_PREFERRED_MODULE_WIDTH_MM, math.floor(fitting * 1000) / 1000)


@dataclass(frozen=True, slots=True)
class _LabelBox:
    number: int
    tracking_number: str
    gross_weight_grams: int


def _label_boxes(shipment: Shipment) -> list[_LabelBox]:
    """The shipment's boxes; one box holding everything for shipments made before boxes."""
    boxes = [
        _LabelBox(box.number, box.tracking_number, box.gross_weight_grams)
        for box in shipment.boxes.order_by("number")
    ]
    return boxes or [_LabelBox(1, shipment.tracking_number, shipment.weight_grams)]


def label_pdf(shipment: Shipment, *, page_format: Literal["A4", "label"]) -> bytes:
    """The shipping labels, one page per box: service, sender (workshop address and phone),
    recipient, the box's gross weight, "box n of m" with the shipment's master reference, the
    sub-order's reference and the box's own tracking number as a Code 128 barcode.

    `page_format` "label" gives 100 by 150 mm pages for thermal label printers, "A4" the same
    label on an A4 sheet to cut out."""
    layout = _LABEL_LAYOUTS[page_format]
    parcel = _load(shipment)
    sender = parcel.sender
    master = shipment.tracking_number
    boxes = _label_boxes(shipment)
    document = PdfDocument(
        title=_both("Étiquette", "Label") + f" {master}",
        language=DOCUMENT_LANGUAGE,
        page_format=layout.page_format,
        margin=layout.margin_mm,
        font_size=layout.font_size,
        created_at=shipment.created_at,
    )
    for box in boxes:
        if box.number > 1:
            document.new_page()
        # The service first and largest: the carrier's sorting staff read it before anything.
        document.heading(shipment.carrier.name)
        document.heading(_both("Expéditeur", "From"), level=2)
        sender_lines = [
            sender.shop_name,
            *sender.place_lines(),
            _both("N° registre", "Register no.") + f" {sender.register_number}",
        ]
        if sender.phone:
            sender_lines.append(_both("Tél.", "Phone") + f" {_phone(sender.phone)}")
        document.paragraph("\n".join(sender_lines))
        document.heading(_both("Destinataire", "To"), level=2)
        recipient_lines = parcel.recipient_lines()
        if parcel.recipient.phone:
            recipient_lines.append(_both("Tél.", "Phone") + f" {_phone(parcel.recipient.phone)}")
        document.paragraph("\n".join(recipient_lines))

        details = [
            (_both("Poids brut", "Gross weight"), f"{_kilograms(box.gross_weight_grams)} kg"),
            (_both("Colis", "Box"), f"{box.number}/{len(boxes)}"),
            (_both("Commande", "Order"), parcel.sub_order.reference),
        ]
        if len(boxes) > 1:
            details.append((_both("Envoi (référence maître)", "Shipment (master)"), master))
        if shipment.customs_form:
            details.append((_both("Douane", "Customs"), shipment.customs_form))
        document.key_values(details, label_share=0.4)

        available_mm = layout.page_width_mm - 2 * layout.margin_mm
        document.barcode_code128(
            box.tracking_number,
            module_width=_module_width(box.tracking_number, available_mm=available_mm),
            height=layout.barcode_height_mm,
        )
    return document.output()


# --- Customs declaration ----------------------------------------------------------------------


_CUSTOMS_TITLES: Final[dict[str, str]] = {
    CustomsForm.CN22: "CN 22",
    CustomsForm.CN23: "CN 23",
}
# The categories of item the CN 22 and CN 23 list, in their order; Souk only ever sells.
_CATEGORIES: Final[tuple[tuple[str, str], ...]] = (
    ("Cadeau", "Gift"),
    ("Documents", "Documents"),
    ("Échantillon commercial", "Commercial sample"),
    ("Marchandise retournée", "Returned goods"),
    ("Vente de marchandises", "Sale of goods"),
    ("Autre", "Other"),
)
_SALE_OF_GOODS: Final = "Sale of goods"
_CHECKED, _UNCHECKED = "☒", "☐"


def customs_declaration_pdf(shipment: Shipment) -> bytes:
    """The customs declaration of an international shipment, on A4: CN 22 or CN 23 as
    `shipment.customs_form` says, filled from the order (sale of goods, origin Morocco).

    Raises ValueError for a domestic shipment or one without a customs form."""
    if not shipment.is_international:
        raise ValueError(f"Shipment {shipment.tracking_number} is domestic: no customs form.")
    if shipment.customs_form not in _CUSTOMS_TITLES:
        raise ValueError(f"Shipment {shipment.tracking_number} has no customs form set.")
    is_cn23 = shipment.customs_form == CustomsForm.CN23
    form_title = _CUSTOMS_TITLES[shipment.customs_form]
    parcel = _load(shipment)
    sender, currency = parcel.sender, parcel.currency
    title = _both("Déclaration en douane", "Customs declaration") + f" — {form_title}"
    document = PdfDocument(
        title=f"{title} {shipment.tracking_number}",
        language=DOCUMENT_LANGUAGE,
        font_size=9.0,
        created_at=shipment.created_at,
    )
    document.heading(title)
    document.paragraph(_both("Peut être ouvert d'office", "May be opened officially"))
    document.key_values(
        [
            (_both("Opérateur désigné", "Designated operator"), shipment.carrier.name),
            (_both("N° de l'envoi", "Item no."), shipment.tracking_number),
        ]
    )

    document.heading(_both("Expéditeur", "From"), level=2)
    sender_rows = [
        (_both("Nom", "Name"), sender.legal_names),
        (_both("Boutique", "Shop"), sender.shop_name),
        (_both("Adresse", "Address"), ", ".join(sender.place_lines())),
        (_both("N° registre", "Register no."), sender.register_number),
    ]
    if is_cn23:
        if sender.ice:
            sender_rows.append(("ICE", sender.ice))
        sender_rows.append((_both("Téléphone", "Phone"), _phone(sender.phone) or BLANK))
    document.key_values(sender_rows)

    document.heading(_both("Destinataire", "To"), level=2)
    if is_cn23:
        recipient_rows = [
            (_both("Adresse", "Address"), "\n".join(parcel.recipient_lines())),
            (_both("Téléphone", "Phone"), _phone(parcel.recipient.phone) or BLANK),
            (
                _both(
                    "Référence de l'importateur (n° fiscal, n° de TVA, IOSS)",
                    "Importer's reference (tax code, VAT no., IOSS)",
                ),
                BLANK,
            ),
        ]
    else:
        recipient = parcel.recipient
        recipient_rows = [
            (_both("Nom", "Name"), recipient.full_name),
            (
                _both("Ville, pays", "City, country"),
                f"{recipient.city}, {_country_name(recipient.country)}",
            ),
        ]
    document.key_values(recipient_rows)

    document.heading(_both("Catégorie de l'envoi", "Category of item"), level=2)
    document.paragraph(
        "    ".join(
            f"{_CHECKED if english == _SALE_OF_GOODS else _UNCHECKED} {_both(french, english)}"
            for french, english in _CATEGORIES
        )
    )

    document.table(
        headers=[
            _both("Description détaillée du contenu", "Detailed description of contents"),
            _both("Quantité", "Quantity"),
            _both("Poids net (kg)", "Net weight (kg)"),
            _both(f"Valeur ({currency})", f"Value ({currency})"),
            _both("N° tarifaire du SH", "HS tariff number"),
            _both("Pays d'origine", "Country of origin"),
        ],
        rows=[
            [
                line.description,
                str(line.quantity),
                _weight(line.net_weight_grams, unit=""),
                _decimal_amount(line.amount, currency),
                line.hs_code,
                ORIGIN_COUNTRY,
            ]
            for line in parcel.lines
        ],
        widths=(4, 1.3, 1.5, 1.6, 1.6, 1.4),
    )
    totals = [
        (
            _both("Poids net total", "Total net weight"),
            _weight(parcel.total_net_weight_grams),
        ),
        (_both("Valeur totale", "Total value"), _money(parcel.total_value_amount, currency)),
        (_both("Devise", "Currency"), currency),
    ]
    if is_cn23:
        totals += [
            (
                _both("Poids brut total", "Total gross weight"),
                f"{_kilograms(shipment.weight_grams)} kg",
            ),
            (
                _both("Frais de port", "Postage/fees"),
                _money(parcel.sub_order.shipping_amount, currency),
            ),
            (_both("N° de facture", "Invoice no."), parcel.sub_order.reference),
            (_both("N° de licence", "Licence no."), BLANK),
            (_both("N° de certificat", "Certificate no."), BLANK),
            (
                _both(
                    "Instructions en cas de non-livraison", "Instructions in case of non-delivery"
                ),
                _both("Renvoyer à l'expéditeur", "Return to sender"),
            ),
        ]
    document.key_values(totals, label_share=0.45)

    _signature(document, parcel, statement=CERTIFICATION)
    return document.output()


def _signature(document: PdfDocument, parcel: _Parcel, *, statement: str) -> None:
    document.paragraph(statement)
    document.key_values(
        [
            (_both("Nom", "Name"), parcel.sender.signatory),
            (
                _both("Lieu et date", "Place and date"),
                ", ".join(part for part in (parcel.sender.city, parcel.date.isoformat()) if part),
            ),
            (_both("Signature", "Signature"), "\n" + BLANK),
        ]
    )


# --- Commercial invoice -----------------------------------------------------------------------


def commercial_invoice_pdf(shipment: Shipment, *, terms: str = DeliveryTerms.DAP) -> bytes:
    """The commercial invoice that travels with an international parcel (A4): seller and buyer,
    the works with HS code and origin, totals in MAD, the delivery terms and the origin
    declaration the destination takes (origin_declaration: preferential only where an
    agreement with Morocco provides it).

    `terms` is DAP (the recipient pays import duty and taxes) unless the destination's DutyRate
    says DDP; the caller reads it. Raises ValueError for a domestic shipment or unknown terms."""
    if not shipment.is_international:
        raise ValueError(f"Shipment {shipment.tracking_number} is domestic: no export invoice.")
    if terms not in DeliveryTerms.values:
        raise ValueError(
            f"Unknown delivery terms {terms!r}; expected one of {DeliveryTerms.values}."
        )
    parcel = _load(shipment)
    sender, sub_order, currency = parcel.sender, parcel.sub_order, parcel.currency
    destination = _country_name(parcel.recipient.country)
    title = _both("Facture commerciale", "Commercial invoice")
    document = PdfDocument(
        title=f"{title} {sub_order.reference}",
        language=DOCUMENT_LANGUAGE,
        font_size=9.0,
        created_at=shipment.created_at,
    )
    document.heading(title)
    document.key_values(
        [
            (_both("N° de facture", "Invoice no."), sub_order.reference),
            (_both("Date", "Date"), parcel.date.isoformat()),
            (_both("N° de commande", "Order no."), parcel.order.reference),
            (_both("N° de suivi", "Tracking no."), shipment.tracking_number),
            (_both("Motif de l'exportation", "Reason for export"), _both("Vente", "Sale")),
            # Incoterms name the place of delivery: the recipient's town.
            ("Incoterm", f"{terms} {parcel.recipient.city}, {destination} (Incoterms 2020)"),
            (_both("Devise", "Currency"), currency),
            (
                _both("Pays d'origine", "Country of origin"),
                f"{_country_name(ORIGIN_COUNTRY)} ({ORIGIN_COUNTRY})",
            ),
            (_both("Pays de destination", "Country of destination"), destination),
        ]
    )

    document.heading(_both("Vendeur (exportateur)", "Seller (exporter)"), level=2)
    seller_rows = [
        (_both("Nom", "Name"), sender.legal_names),
        (_both("N° registre de l'artisanat", "Crafts register no."), sender.register_number),
    ]
    if sender.ice:
        seller_rows.append(("ICE", sender.ice))
    seller_rows += [
        (_both("Boutique", "Shop"), sender.shop_name),
        (_both("Adresse", "Address"), "\n".join(sender.place_lines())),
        (_both("Téléphone", "Phone"), _phone(sender.phone) or BLANK),
    ]
    document.key_values(seller_rows)

    document.heading(_both("Acheteur (destinataire)", "Buyer (consignee)"), level=2)
    buyer_rows = [(_both("Adresse", "Address"), "\n".join(parcel.recipient_lines()))]
    if parcel.recipient.phone:
        buyer_rows.append((_both("Téléphone", "Phone"), _phone(parcel.recipient.phone)))
    document.key_values(buyer_rows)

    document.table(
        headers=[
            _both("Désignation", "Description"),
            _both("Code SH", "HS code"),
            _both("Origine", "Origin"),
            _both("Quantité", "Quantity"),
            _both(f"Prix unitaire ({currency})", f"Unit price ({currency})"),
            _both(f"Montant ({currency})", f"Amount ({currency})"),
        ],
        rows=[
            [
                line.description,
                line.hs_code,
                ORIGIN_COUNTRY,
                str(line.quantity),
                _decimal_amount(line.unit_price_amount, currency),
                _decimal_amount(line.amount, currency),
            ]
            for line in parcel.lines
        ],
        widths=(4, 1.3, 1.2, 1.3, 1.6, 1.6),
    )
    document.key_values(
        [
            (_both("Marchandises", "Goods"), _money(sub_order.items_amount, currency)),
            (_both("Transport", "Shipping"), _money(sub_order.shipping_amount, currency)),
            (_both("Total", "Total"), _money(sub_order.total_amount, currency)),
        ],
        label_share=0.45,
    )

    document.heading(_both("Déclaration d'origine", "Origin declaration"), level=2)
    _signature(document, parcel, statement=origin_declaration(parcel.recipient.country))
    return document.output()
