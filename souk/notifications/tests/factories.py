"""Notification test data: people to notify, and a context for every kind."""

from __future__ import annotations

import itertools
from typing import Any

from souk.accounts.models import User
from souk.accounts.tests.factories import make_user

REFERENCE = "SK-2026-00042"

# What the callers pass for each kind: plain values, already formatted.
CONTEXTS: dict[str, dict[str, object]] = {
    "order_paid_artisan": {
        "reference": REFERENCE,
        "shop_name": "Poterie Fès & Fils",
        "item_count": 3,
        "total": "1 350,00 MAD",
        "accept_by": "2 December 2026",
        "lines": ["2 \u00d7 طاجين \u2013 كبير", "1 \u00d7 Zellige"],
    },
    "order_placed_buyer": {"reference": REFERENCE, "total": "1 350,00 MAD"},
    "suborder_accepted": {
        "reference": REFERENCE,
        "shop_name": "Poterie Fès & Fils",
        "lead_time_days": 5,
    },
    "suborder_declined": {
        "reference": REFERENCE,
        "shop_name": "Poterie Fès & Fils",
        "reason": "The kiln is broken this week.",
    },
    "suborder_shipped": {
        "reference": REFERENCE,
        "shop_name": "Poterie Fès & Fils",
        "carrier": "Amana",
        "tracking_number": "AM123456789MA",
    },
    "suborder_delivered": {"reference": REFERENCE, "shop_name": "Poterie Fès & Fils"},
    "suborder_in_transit": {
        "reference": REFERENCE,
        "shop_name": "Poterie Fès & Fils",
        "tracking_number": "AM123456789MA",
    },
    "suborder_returned_to_sender": {"reference": REFERENCE, "shop_name": "Poterie Fès & Fils"},
    "suborder_lost": {"reference": REFERENCE, "shop_name": "Poterie Fès & Fils"},
    "suborder_completed": {
        "reference": REFERENCE,
        "kept": "1 350,00 MAD",
        "commission": "135,00 MAD",
        "net": "1 215,00 MAD",
    },
    "return_requested": {"reference": REFERENCE, "reason": "The tagine arrived cracked."},
    "suborder_refunded": {"reference": REFERENCE, "amount": "450,00 MAD"},
    "payout_returned": {"reference": REFERENCE, "amount": "405,00 MAD", "reason": "AC04"},
    "payout_destination_changed": {
        "shop": f"Poterie {REFERENCE}",
        "ending": "4921",
        "by": "Fatima Bennani",
        "resume_at": "9 December 2026, 10:00",
    },
    "contact_changed": {
        "account": f"Emily {REFERENCE}",
        "changed_at": "6 December 2026, 14:30",
        "email_changed": True,
        "phone_changed": True,
    },
    "shop_decided": {
        "shop": f"Atelier {REFERENCE}",
        "decision": "request_changes",
        "reason": "Une photo plus nette, s'il vous plaît.",
        "link": "https://souk.example/fr/shops/manage/7/",
    },
    "listing_decided": {
        "piece": f"Tajine {REFERENCE}",
        "decision": "reject",
        "reason": "Le prix semble manquer un zéro.",
        "link": "https://souk.example/fr/products/manage/7/9/",
    },
    "shop_invitation": {
        "shop": f"Coopérative {REFERENCE}",
        "by": "Fatima Bennani",
        "role": "manager",
    },
    "payout_returned_operator": {
        "reference": REFERENCE,
        "amount": "405,00 MAD",
        "reason": "Account closed",
        "shop": "Poterie Fès & Fils",
    },
    "order_message": {
        "reference": REFERENCE,
        "sender_name": "Amina",
        "excerpt": "Could you wrap the plates separately? They are a gift.",
    },
    "suborder_disputed": {"reference": REFERENCE, "reason": "The parcel never arrived."},
}

_phone_numbers = itertools.count(600_000_001)


def make_person(*, with_email: bool = True, with_phone: bool = True, **fields: Any) -> User:
    """A user with an email address and a Moroccan mobile number unless told otherwise."""
    if not with_email:
        fields["email"] = None
    if with_phone:
        fields.setdefault("phone", f"+212{next(_phone_numbers)}")
    return make_user(**fields)
