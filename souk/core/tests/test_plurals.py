"""Counts speak Arabic grammar: six plural forms (zero, one, two, few, many, other), chosen by
ngettext / blocktranslate count from the catalogue's Plural-Forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from souk.shops.validators import normalize_rib

ARABIC = Path(settings.LOCALE_PATHS[0]) / "ar" / "LC_MESSAGES" / "django.po"


def test_the_arabic_catalogue_has_six_plural_forms():
    with ARABIC.open("rb") as handle:
        catalogue = read_po(handle)

    assert catalogue.num_plurals == 6
    # zero, one, two, few (3-10), many (11-99), other (100-102, ...): the forms below
    assert catalogue.plural_expr == (
        "n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : "
        "n%100>=11 && n%100<=99 ? 4 : 5"
    )


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "لم يُقبل أي منتوج (0)."),
        (1, "قُبل منتوج واحد (1)."),
        (2, "قُبل منتوجان (2)."),
        (3, "قُبلت 3 منتوجات."),
        (11, "قُبل 11 منتوجًا."),
        (100, "قُبل 100 منتوج."),
    ],
)
def test_a_count_takes_its_arabic_form(count, expected):
    with translation.override("ar"):
        text = translation.ngettext(
            "%(count)d listing approved.", "%(count)d listings approved.", count
        ) % {"count": count}

    assert text == expected


@pytest.mark.parametrize(
    ("rib", "language", "expected"),
    [
        ("1", "en", "this one has 1 digit."),
        ("12", "ar", "وهذا فيه رقمان (2)."),
        ("12345", "ar", "وهذا فيه 5 أرقام."),
    ],
)
def test_a_short_rib_is_told_in_the_right_grammatical_number(rib, language, expected):
    with translation.override(language), pytest.raises(ValidationError) as refusal:
        normalize_rib(rib)

    (message,) = refusal.value.messages
    assert message.endswith(expected)
