"""Weights and sizes as the page's language writes them: its unit symbols (g, kg, cm in Latin
script; غ, كغ, سم in Arabic) and its decimal separator."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

# From this weight on, a piece is weighed in kilograms.
KILOGRAM_FROM_GRAMS = 1000
TIMES = " \u00d7 "  # multiplication sign, between the sides
NOT_GIVEN = "\u2013"  # en dash, for a side not given


def _number(value: Decimal) -> str:
    """`value` without trailing zeros, with the active language's decimal separator."""
    normalized = value.normalize()
    if normalized == normalized.to_integral_value():
        normalized = normalized.quantize(Decimal(1))
    return formats.number_format(normalized, use_l10n=True)


def weight_text(grams: int) -> str:
    """`450 g`, `1.5 kg` (`450 غ`, `1,5 كغ` in Arabic)."""
    if grams >= KILOGRAM_FROM_GRAMS:
        kilograms = (Decimal(grams) / KILOGRAM_FROM_GRAMS).quantize(Decimal("0.01"))
        return _("%(value)s kg") % {"value": _number(kilograms)}
    return _("%(value)s g") % {"value": _number(Decimal(grams))}


def size_text(length_mm: int | None, width_mm: int | None, height_mm: int | None) -> str:
    """`30 x 20 x 12.5 cm` (with TIMES) from millimetres, `سم` in Arabic; NOT_GIVEN for a side
    not given."""
    sides = TIMES.join(
        _number(Decimal(side) / 10) if side else NOT_GIVEN
        for side in (length_mm, width_mm, height_mm)
    )
    return _("%(value)s cm") % {"value": sides}
