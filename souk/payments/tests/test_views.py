"""The buyer's payment pages show what the gateway's callback decided, in the buyer's language."""

from __future__ import annotations

import pytest

from souk.payments import services
from souk.payments.tests.factories import cmi_callback_fields, start_card_payment

pytestmark = pytest.mark.django_db


def test_the_return_page_says_confirming_until_the_callback_then_paid(client) -> None:
    order, start = start_card_payment()
    client.force_login(order.buyer)
    page = f"/en/payments/{order.reference}/return/"

    waiting = client.get(page).content.decode()
    assert "Confirming your payment" in waiting
    assert f"/en/payments/{order.reference}/status/" in waiting  # it polls

    services.handle_cmi_callback(params=cmi_callback_fields(start))

    paid = client.get(page).content.decode()
    assert "Payment received. Thank you!" in paid
    assert "hx-trigger" not in paid  # nothing left to wait for
    fragment = client.get(f"/en/payments/{order.reference}/status/").content.decode()
    assert "Payment received. Thank you!" in fragment


def test_a_declined_card_offers_to_try_again(client) -> None:
    order, start = start_card_payment()
    client.force_login(order.buyer)

    services.handle_cmi_callback(params=cmi_callback_fields(start, code="51"))

    page = client.get(f"/en/payments/{order.reference}/return/").content.decode()
    assert "Your payment did not go through." in page
    assert "Try again" in page


def test_another_buyer_cannot_see_the_payment_pages(client) -> None:
    order, _start = start_card_payment()
    other, _ = start_card_payment()
    client.force_login(other.buyer)
    for page in ("", "return/", "status/"):
        assert client.get(f"/en/payments/{order.reference}/{page}").status_code == 404
