"""The address fields template (orders/_address_fields.html) around core's AddressForm."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import engines

from souk.core.addresses.forms import AddressForm
from souk.core.tests.addresses_samples import FRANCE, bound

TEMPLATE_PATH = Path(__file__).resolve().parents[1] / "templates/orders/_address_fields.html"


def render_fields(form: AddressForm) -> str:
    template = engines["django"].from_string(TEMPLATE_PATH.read_text(encoding="utf-8"))
    return template.render({"form": form, "address_fields_url": "/checkout/address-fields/"})


@pytest.mark.django_db
def test_template_renders_autocomplete_and_htmx_for_the_country():
    html = render_fields(AddressForm(initial={"country": "MA"}))

    assert 'id="address-fields"' in html
    # POST, so what the buyer typed never ends up in a URL or an access log.
    assert 'hx-post="/checkout/address-fields/"' in html
    assert 'hx-target="#address-fields"' in html
    assert 'hx-include="closest form"' in html
    assert 'hx-trigger="change"' in html
    assert '<option value="MA" selected>' in html
    for token in (
        "name",
        "address-line1",
        "address-line2",
        "address-level2",
        "address-level1",
        "postal-code",
        "country",
        "tel",
    ):
        assert f'autocomplete="{token}"' in html
    assert 'type="tel"' in html
    assert 'inputmode="numeric"' in html
    assert "left" not in html
    assert "right" not in html


def test_template_ties_errors_to_their_fields():
    form = bound(FRANCE, postal_code="123", country="FR")
    form.is_valid()

    html = render_fields(form)

    assert 'id="id_postal_code_error"' in html
    assert 'aria-describedby="id_postal_code_helptext id_postal_code_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'autocomplete="address-level1"' not in html
