"""The buyer's payment pages show what the gateway's callback decided, in the buyer's language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from souk.orders.tests.factories import make_unpaid_order
from souk.payments import services
from souk.payments.models import PaymentIntent
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


def test_the_first_pay_page_locks_the_order_then_makes_its_intent_and_attempt(client) -> None:
    """Issue #21: the intent is made under the order's lock, read once, and no look for an
    attempt it cannot have yet (it read the intent four times and its attempts once)."""
    order = make_unpaid_order()
    client.force_login(order.buyer)

    with CaptureQueriesContext(connection) as captured:
        page = client.get(f"/en/payments/{order.reference}/")

    assert page.status_code == 200
    assert "data-autosubmit-payment" in page.content.decode()
    intent = PaymentIntent.objects.get(order=order)
    assert intent.attempts.count() == 1
    sql = [query["sql"] for query in captured.captured_queries]
    # The page's own read of the payment state, then the locked one.
    assert len([s for s in sql if s.startswith("SELECT") and '"payments_paymentintent"' in s]) == 2
    assert not [s for s in sql if s.startswith("SELECT") and '"payments_paymentattempt"' in s]
    # A second visit reuses the attempt: the same signed form, no new attempt.
    again = client.get(f"/en/payments/{order.reference}/").content.decode()
    assert intent.attempts.get().gateway_order_id in again
