"""Printed papers of a shipment: the parcel label, the CN 22 / CN 23 customs declaration and the
commercial invoice (papers.py), filled from the parcel as parcel.py reads it."""

from souk.fulfilment.documents.papers import (
    commercial_invoice_pdf,
    customs_declaration_pdf,
    label_pdf,
)
from souk.fulfilment.documents.parcel import customs_description

__all__ = [
    "commercial_invoice_pdf",
    "customs_declaration_pdf",
    "customs_description",
    "label_pdf",
]
