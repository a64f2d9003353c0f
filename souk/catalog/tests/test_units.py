"""Issue #17: the product page gives weight and size in the units of its language (غ, كغ, سم in
Arabic) with its decimal separator."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation

from souk.catalog.tests.factories import make_active_product
from souk.catalog.units import TIMES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "weight", "size"),
    [
        ("ar", "1,5 كغ", TIMES.join(["30", "20", "12,5 سم"])),
        ("fr", "1,5 kg", TIMES.join(["30", "20", "12,5 cm"])),
        ("en", "1.5 kg", TIMES.join(["30", "20", "12.5 cm"])),
    ],
)
def test_the_product_page_writes_weight_and_size_in_its_languages_units(
    client, language, weight, size
):
    # given: a tagine of 1,500 g, 300 by 200 by 125 mm
    product = make_active_product(weight_grams=1500, length_mm=300, width_mm=200, height_mm=125)

    # when
    with translation.override(language):
        url = reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})
    page = html.unescape(client.get(url).content.decode()).replace("\u00a0", " ")

    # then
    assert f"<bdi>{weight}</bdi>" in page
    assert f"<bdi>{size}</bdi>" in page


def test_a_light_piece_is_weighed_in_grams_in_arabic(client):
    # given
    product = make_active_product(weight_grams=450)

    # when
    with translation.override("ar"):
        url = reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})
    page = html.unescape(client.get(url).content.decode()).replace("\u00a0", " ")

    # then
    assert "<bdi>450 غ</bdi>" in page
