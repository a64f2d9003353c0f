"""Guest checkout through HTTP: an email and a phone instead of an account, the signed link to
the order, the account offered after payment, and the way back to checkout from sign-up."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from souk.accounts.models import User
from souk.accounts.tests.factories import TEST_PASSWORD
from souk.catalog.tests.factories import make_active_product, run_worker
from souk.orders import guests
from souk.orders.errors import CashOnDeliveryNeedsAccount
from souk.orders.models import CartItem, Order, OrderStatus, SubOrderStatus
from souk.orders.tests.factories import make_buyer, record_paid
from souk.orders.tests.test_views import SAVED_ADDRESSES
from souk.payments.tests.test_flows import _hidden_fields, _unescape

NEW_YORK = {**SAVED_ADDRESSES["US"], "payment_method": "card"}
GUEST = {"guest_email": "Jane.Miller@Example.com", "guest_phone": "+1 212 555 0123"}


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def _guest_order(client, token: str = "g" * 32, **fields: str) -> Order:
    """A guest who put a tagine in the cart and placed the order (awaiting payment)."""
    tagine = make_active_product(title_en="Blue tagine")
    client.post(url("orders:add_to_cart"), {"product": tagine.pk})
    assert client.get(url("orders:checkout")).status_code == 200  # no log-in asked
    response = client.post(
        url("orders:checkout"), {**NEW_YORK, **GUEST, "checkout_token": token, **fields}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.select_related("buyer").get(checkout_token=token)


def _paid_guest_order(client) -> Order:
    order = _guest_order(client)
    with transaction.atomic():
        record_paid(order)
    return Order.objects.select_related("buyer").get(pk=order.pk)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_guest_pays_by_card_and_gets_the_orders_link_by_email(client, live_server, settings):
    # given: a guest with a tagine in the cart, the sandbox processor on the live server
    settings.SOUK_SITE_URL = live_server.url
    settings.CMI_GATEWAY_URL = f"{live_server.url}/sandbox/cmi/fim/est3Dgate"
    # when: the guest gives an email and a phone, and pays by card
    order = _guest_order(client)
    pay = client.get(url("payments:pay", reference=order.reference))
    assert pay.status_code == 200
    fields = {
        name: _unescape(value)
        for name, value in _hidden_fields(pay.content.decode(), "data-autosubmit-payment").items()
    }
    gate = client.post("/sandbox/cmi/fim/est3Dgate", fields)
    session = _hidden_fields(gate.content.decode(), "est3Dgate/card")["session"]
    result = client.post(
        "/sandbox/cmi/fim/est3Dgate/card",
        {"session": session, "card_number": "4000 0000 0000 0010", "expiry": "12/30", "cvc": "000"},
    )
    returned = {
        name: _unescape(value)
        for name, value in _hidden_fields(
            result.content.decode(), "data-sandbox-autosubmit"
        ).items()
    }
    client.post("/en/payments/cmi/ok/", returned)
    assert DBTaskResult.objects.filter(task_path__endswith="deliver_cmi_callback").exists()
    run_worker()  # the processor's callback, then the notices
    run_worker()
    # then: the order is paid, the guest is its buyer, the cart is empty
    order.refresh_from_db()
    assert order.status == OrderStatus.PLACED
    assert order.buyer.is_guest
    assert order.buyer.guest_email == "jane.miller@example.com"
    assert order.buyer.guest_phone == "+12125550123"
    assert order.guest_cart_id is not None
    assert not CartItem.objects.filter(cart_id=order.guest_cart_id).exists()
    # and the email holds the signed link, which opens the order with the account offered
    sent = [message for message in mail.outbox if message.to == ["jane.miller@example.com"]]
    assert sent, [message.to for message in mail.outbox]
    link = re.search(r"https?://\S+/orders/guest/\S+/", str(sent[0].body))
    assert link is not None, sent[0].body
    assert order.reference not in link.group(0).split("/guest/")[0]
    stranger = client.__class__()
    opened = stranger.get(link.group(0).removeprefix(live_server.url))
    assert opened.status_code == 200
    html = opened.content.decode()
    assert f"Order {order.reference}" in html
    assert "Create my account" in html
    assert 'value="jane.miller@example.com" readonly' in html
    # and the pay page's return shows the same link
    back = client.get(url("payments:return", reference=order.reference))
    assert guests.order_link(order) in back.content.decode()


@pytest.mark.django_db
def test_a_link_with_a_tampered_token_is_a_404(client) -> None:
    order = _paid_guest_order(client)
    token = guests.order_token(order)
    assert client.get(url("orders:guest_order", token=token)).status_code == 200
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    stranger = client.__class__()
    assert stranger.get(url("orders:guest_order", token=altered)).status_code == 404
    assert stranger.get(url("orders:guest_order", token=order.reference)).status_code == 404
    # the order's own page needs the buyer's account; the guest has none
    assert stranger.get(url("orders:detail", reference=order.reference)).status_code == 302


@pytest.mark.django_db
def test_creating_the_account_from_the_order_attaches_the_guests_orders(client) -> None:
    # given: a paid guest order
    order = _paid_guest_order(client)
    guest = order.buyer
    link = url("orders:guest_order", token=guests.order_token(order))
    # when: a too short password, then a good one
    short = client.post(
        url("orders:guest_account", token=guests.order_token(order)), {"password1": "abc"}
    )
    assert short.status_code == 200
    assert not User.objects.filter(email="jane.miller@example.com").exists()
    response = client.post(
        url("orders:guest_account", token=guests.order_token(order)),
        {"password1": TEST_PASSWORD},
    )
    # then: an account with the guest's email and phone owns the order, signed in
    account = User.objects.get(email="jane.miller@example.com")
    assert not account.is_guest
    assert account.phone == "+12125550123"
    assert response.status_code == 302
    assert response["Location"] == url("orders:detail", reference=order.reference)
    assert Order.objects.get(pk=order.pk).buyer == account
    assert client.get(url("orders:detail", reference=order.reference)).status_code == 200
    # the guest is gone; the old link leads to the order's own page
    assert not User.objects.get(pk=guest.pk).is_active
    assert client.get(link)["Location"] == url("orders:detail", reference=order.reference)


@pytest.mark.django_db
def test_an_existing_accounts_email_attaches_nothing_until_its_owner_signs_in(client) -> None:
    # given: Jane has an account; someone checks out as a guest with her email
    jane = make_buyer(email="jane.miller@example.com")
    order = _paid_guest_order(client)
    token = guests.order_token(order)
    page = client.get(url("orders:guest_order", token=token)).content.decode()
    assert "An account already uses this email address." in page
    assert "Create my account" not in page
    # when: the guest tries to create the account, or to attach without signing in
    client.post(url("orders:guest_account", token=token), {"password1": TEST_PASSWORD})
    client.post(url("orders:guest_attach", token=token))
    # then: nothing moved
    assert Order.objects.get(pk=order.pk).buyer_id == order.buyer_id
    # and another account signed in cannot take it either
    other = make_buyer(email="someone.else@example.com")
    client.force_login(other)
    client.post(url("orders:guest_attach", token=token))
    assert Order.objects.get(pk=order.pk).buyer_id == order.buyer_id
    # when: Jane signs in and adds it
    client.logout()
    client.post(
        url("accounts:login"), {"username": "jane.miller@example.com", "password": TEST_PASSWORD}
    )
    response = client.post(url("orders:guest_attach", token=token))
    # then
    assert response["Location"] == url("orders:detail", reference=order.reference)
    assert Order.objects.get(pk=order.pk).buyer == jane


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "http:/evil.example"],
)
def test_sign_up_from_checkout_never_sends_the_browser_elsewhere(client, target: str) -> None:
    response = client.post(
        f"{url('accounts:signup')}?next={target}",
        {
            "full_name": "Jane Miller",
            "email": "jane@example.com",
            "phone": "",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "next": target,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("accounts:profile")
    # and logging in with the same `next` stays on the site too
    client.logout()
    login = client.post(
        f"{url('accounts:login')}?next={target}",
        {"username": "jane@example.com", "password": TEST_PASSWORD, "next": target},
    )
    assert login.status_code == 302
    assert "evil.example" not in login["Location"]
    assert login["Location"].startswith("/")


@pytest.mark.django_db
def test_sign_up_from_checkout_returns_to_checkout_with_the_cart_kept(client) -> None:
    # given: a guest at checkout with a tagine in the cart
    tagine = make_active_product(title_en="Blue tagine")
    client.post(url("orders:add_to_cart"), {"product": tagine.pk})
    checkout = client.get(url("orders:checkout")).content.decode()
    signup_link = re.search(r'href="([^"]*/signup/\?next=[^"]*)"', checkout)
    assert signup_link is not None
    # when: they follow "Sign up" and create the account
    form = client.get(_unescape(signup_link.group(1))).content.decode()
    assert 'name="next" value="/en/checkout/"' in form
    response = client.post(
        _unescape(signup_link.group(1)),
        {
            "full_name": "Jane Miller",
            "email": "jane@example.com",
            "phone": "",
            "password1": TEST_PASSWORD,
            "password2": TEST_PASSWORD,
            "next": "/en/checkout/",
        },
        follow=True,
    )
    # then: back at checkout, signed in, the tagine still in the cart
    assert response.redirect_chain[0][0] == url("orders:checkout")
    assert response.status_code == 200
    assert "Blue tagine" in response.content.decode()
    account = User.objects.get(email="jane@example.com")
    assert list(
        CartItem.objects.filter(cart__user=account).values_list("product_id", flat=True)
    ) == [tagine.pk]


@pytest.mark.django_db
def test_a_guest_is_not_offered_cash_on_delivery(client) -> None:
    # given: a guest's 450 MAD bowl to Casablanca (an account would be offered cash)
    bowl = make_active_product(price_amount=45_000)
    client.post(url("orders:add_to_cart"), {"product": bowl.pk})
    casablanca = {**SAVED_ADDRESSES["MA"], **GUEST, "guest_phone": "06 12 34 56 78"}
    fields = client.post(url("orders:address_fields"), casablanca).content.decode()
    assert 'value="cod"' not in fields
    assert 'value="card"' in fields
    # when: cash on delivery is posted anyway
    response = client.post(
        url("orders:checkout"),
        {**casablanca, "payment_method": "cod", "checkout_token": "c" * 32},
    )
    # then: the form again, with the reason, and no order
    assert response.status_code == 200
    assert str(CashOnDeliveryNeedsAccount.message) in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_guest_details_are_checked_and_nothing_is_placed_on_bad_input(client) -> None:
    tagine = make_active_product()
    client.post(url("orders:add_to_cart"), {"product": tagine.pk})
    response = client.post(
        url("orders:checkout"),
        {
            **NEW_YORK,
            "guest_email": "not-an-email",
            "guest_phone": "12",
            "checkout_token": "d" * 32,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid email address." in html
    assert "Enter a valid phone number." in html
    assert not Order.objects.exists()
    assert not User.objects.filter(is_guest=True).exists()


@pytest.mark.django_db
def test_guest_checkouts_are_throttled_per_email(client) -> None:
    for number in range(5):
        _guest_order(client, token=f"{number}" * 32)
    tagine = make_active_product()
    client.post(url("orders:add_to_cart"), {"product": tagine.pk})
    response = client.post(
        url("orders:checkout"), {**NEW_YORK, **GUEST, "checkout_token": "z" * 32}
    )
    assert response.status_code == 429
    assert not Order.objects.filter(checkout_token="z" * 32).exists()


@pytest.mark.django_db
def test_the_guest_tracks_the_order_confirms_receipt_and_writes_to_the_artisan(client) -> None:
    order = _paid_guest_order(client)
    token = guests.order_token(order)
    sub_order = order.sub_orders.get()
    stranger = client.__class__()
    # a message to the artisan from the link, in another browser
    stranger.post(
        url("orders:guest_message", token=token, reference=sub_order.reference),
        {"body": "Is it well packed?"},
    )
    assert sub_order.messages.get().body == "Is it well packed?"
    # a parcel not shipped yet cannot be confirmed received
    stranger.post(url("orders:guest_confirm_receipt", token=token, reference=sub_order.reference))
    sub_order.refresh_from_db()
    assert sub_order.status == SubOrderStatus.PAID
    page = stranger.get(url("orders:guest_order", token=token)).content.decode()
    assert "Is it well packed?" in page
    assert "Paid" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "offer"),
    [
        ("en", "You can order without an account."),
        ("fr", "Vous pouvez commander sans compte."),
        ("es", "Puede pedir sin cuenta."),
        ("ar", "يمكنك الطلب بدون حساب."),
    ],
)
def test_the_guest_checkout_speaks_every_language(client, language: str, offer: str) -> None:
    tagine = make_active_product()
    client.post(url("orders:add_to_cart", language), {"product": tagine.pk})
    html = client.get(url("orders:checkout", language)).content.decode()
    assert offer in html
    assert 'name="guest_email"' in html
    assert 'name="guest_phone"' in html


@pytest.mark.django_db
def test_a_moderator_finds_a_guests_order_by_the_email_given(client) -> None:
    from souk.orders import selectors

    order = _paid_guest_order(client)
    found = selectors.search_sub_orders_for_moderation(query="jane.miller@example.com")
    assert [sub_order.order_id for sub_order in found] == [order.pk]


@pytest.mark.django_db
def test_an_orders_link_is_the_same_each_time_it_is_given(client) -> None:
    order = _paid_guest_order(client)
    first = guests.order_link(order)
    time.sleep(1.1)
    assert guests.order_link(order) == first
