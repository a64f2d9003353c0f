"""Factories for register tests, and for any app that needs a register entry."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, cast

import factory

from souk.registry.models import Category, EntryStatus, Qualification, RegisterEntry


class RegisterEntryFactory(factory.django.DjangoModelFactory[RegisterEntry]):
    """An active artisan (a person) of trade S01-T01 (pottery) in region 07 (Marrakech-Safi).

    `RegisterEntryFactory(cooperative=True)` gives a cooperative whose representative's CIN is
    on file; the nomenclature comes from the migrations, so any trade or region code works.
    """

    class Meta:
        model = RegisterEntry

    class Params:
        cooperative = factory.Trait(
            category=Category.COOPERATIVE,
            qualification="",
            first_name_fr="",
            last_name_fr="",
            first_name_ar="",
            last_name_ar="",
            legal_name_fr="Coopérative Tafilalet",
            legal_name_ar="تعاونية تافيلالت",
        )
        company = factory.Trait(
            category=Category.COMPANY,
            qualification="",
            first_name_fr="",
            last_name_fr="",
            first_name_ar="",
            last_name_ar="",
            legal_name_fr="Maison Berrada",
            legal_name_ar="دار برادة",
            ice="001561191000066",
        )

    register_number = factory.Sequence(lambda n: f"RNA-{n:07d}")
    category = Category.ARTISAN
    qualification = Qualification.EXPERIENCE_3Y
    cin = factory.Sequence(lambda n: f"AB{n % 1_000_000:06d}")
    first_name_fr = "Fatima"
    last_name_fr = "Bennani"
    first_name_ar = "فاطمة"
    last_name_ar = "بناني"
    trade_id = "S01-T01"
    region_id = "07"
    registered_at = date(2022, 3, 1)
    status = EntryStatus.ACTIVE
    content_hash = factory.LazyAttribute(
        lambda entry: hashlib.blake2b(entry.register_number.encode(), digest_size=16).hexdigest()
    )


def make_register_entry(**fields: Any) -> RegisterEntry:
    """A saved register entry (typed wrapper over RegisterEntryFactory)."""
    return cast(RegisterEntry, RegisterEntryFactory(**fields))
