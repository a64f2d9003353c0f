"""The cart, checkout and order pages through HTTP: what each side sees and may do."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from souk.accounts.tests.factories import TEST_PASSWORD
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.fulfilment import services as fulfilment
from souk.orders import services
from souk.orders.models import CartItem, Order, OrderStatus, SubOrder, SubOrderStatus
from souk.orders.tests.factories import checkout_data, make_buyer, make_paid_order
from souk.shops.tests.factories import make_moderator, owner_of

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_a_guest_cart_joins_the_account_cart_at_login(client) -> None:
    tagine = make_active_product()
    rug = make_active_product(shop=tagine.shop)
    buyer = make_buyer(email="salma@souk.example")
    services.add_to_cart(
        cart=services.get_or_create_cart(user=buyer, cart_id=None), product_id=rug.pk
    )

    client.post(url("orders:add_to_cart"), {"product": tagine.pk, "quantity": 2})
    client.post(url("orders:add_to_cart"), {"product": rug.pk, "quantity": 1})
    response = client.post(
        url("accounts:login"), {"username": "salma@souk.example", "password": TEST_PASSWORD}
    )

    assert response.status_code == 302
    quantities = dict(
        CartItem.objects.filter(cart__user=buyer).values_list("product_id", "quantity")
    )
    assert quantities == {tagine.pk: 2, rug.pk: 1}
    page = client.get(url("orders:cart"))
    assert page.context["cart"].count == 3


def test_a_one_of_a_kind_piece_in_both_carts_stays_one_and_the_buyer_is_told(client) -> None:
    # given: a one-of-a-kind tagine left in the account's cart by an unpaid visit
    tagine = make_active_product(stock_quantity=1, title_en="Blue tagine")
    bowl = make_active_product(shop=tagine.shop, stock_quantity=3, title_en="Green bowl")
    buyer = make_buyer(email="salma@souk.example")
    account_cart = services.get_or_create_cart(user=buyer, cart_id=None)
    services.add_to_cart(cart=account_cart, product_id=tagine.pk)
    services.add_to_cart(cart=account_cart, product_id=bowl.pk, quantity=2)
    # when: shopping again as a guest, then logging in at checkout
    client.post(url("orders:add_to_cart"), {"product": tagine.pk, "quantity": 1})
    client.post(url("orders:add_to_cart"), {"product": bowl.pk, "quantity": 3})
    response = client.post(
        url("accounts:login"),
        {"username": "salma@souk.example", "password": TEST_PASSWORD},
        follow=True,
    )
    # then: the larger quantity of each, never the sum, never above stock
    quantities = dict(
        CartItem.objects.filter(cart__user=buyer).values_list("product_id", "quantity")
    )
    assert quantities == {tagine.pk: 1, bowl.pk: 3}
    shown = [str(message) for message in response.context["messages"]]
    assert shown[-1] == (
        "Your cart now also holds what you had left in it on an earlier visit. "
        "Pieces in both carts were counted once: Blue tagine (1), Green bowl (3). "
        "Please check the cart before paying."
    )


def test_a_merge_never_keeps_more_than_the_stock_left(client) -> None:
    # given: two rugs in the account's cart, one rug left in stock since
    rug = make_active_product(stock_quantity=2, title_en="Wool rug")
    buyer = make_buyer(email="salma@souk.example")
    services.add_to_cart(
        cart=services.get_or_create_cart(user=buyer, cart_id=None),
        product_id=rug.pk,
        quantity=2,
    )
    Product.objects.filter(pk=rug.pk).update(stock_quantity=1)
    client.post(url("orders:add_to_cart"), {"product": rug.pk, "quantity": 1})
    # when
    client.post(
        url("accounts:login"), {"username": "salma@souk.example", "password": TEST_PASSWORD}
    )
    # then
    assert CartItem.objects.get(cart__user=buyer).quantity == 1


def test_the_cart_shows_a_changed_price_and_a_withdrawn_listing(client) -> None:
    changed = make_active_product(price_amount=45_000)
    withdrawn = make_active_product(shop=changed.shop)
    client.post(url("orders:add_to_cart"), {"product": changed.pk, "quantity": 1})
    client.post(url("orders:add_to_cart"), {"product": withdrawn.pk, "quantity": 1})
    Product.objects.filter(pk=changed.pk).update(price_amount=52_000)
    Product.objects.filter(pk=withdrawn.pk).update(status="paused")

    page = client.get(url("orders:cart")).content.decode()

    assert "The price was MAD450.00 when you added it." in page
    assert "No longer for sale: it will not be ordered." in page
    assert url("orders:checkout") not in page  # no checkout until the buyer has looked
    client.post(url("orders:accept_cart_changes"))
    page = client.get(url("orders:cart")).content.decode()
    assert "The price was" not in page
    assert url("orders:checkout") in page


def test_adding_more_than_the_stock_is_refused_with_a_message(client) -> None:
    product = make_active_product(stock_quantity=2)
    response = client.post(url("orders:add_to_cart"), {"product": product.pk, "quantity": 3})
    assert response.status_code == 409
    assert "Not enough of this work is left" in response.content.decode()
    assert not CartItem.objects.exists()


@pytest.mark.parametrize("language", ["ar", "fr", "en", "es"])
def test_the_checkout_page_in_every_language(client, language: str) -> None:
    buyer = make_buyer()
    client.force_login(buyer)
    client.post(url("orders:add_to_cart", language), {"product": make_active_product().pk})

    page = client.get(url("orders:checkout", language))

    assert page.status_code == 200
    html = page.content.decode()
    assert f'lang="{language}"' in html
    assert 'name="checkout_token"' in html
    assert "payment_method" in html


def test_changing_the_country_refits_the_fields_and_the_shipping(client) -> None:
    client.force_login(make_buyer())
    client.post(url("orders:add_to_cart"), {"product": make_active_product().pk})

    response = client.post(url("orders:address_fields"), {"country": "US", "full_name": "Jane"})

    html = response.content.decode()
    assert "ZIP code" in html
    assert "State" in html
    # One 30 x 30 x 25 cm piece: 4.5 kg volumetric, the 5 kg bracket of Amana International.
    assert "MAD820.00" in html
    assert 'value="Jane"' in html


def test_placing_an_order_twice_with_the_same_form_makes_one_order(client) -> None:
    buyer = make_buyer()
    client.force_login(buyer)
    client.post(url("orders:add_to_cart"), {"product": make_active_product().pk})

    first = client.post(url("orders:checkout"), checkout_data())
    second = client.post(url("orders:checkout"), checkout_data())

    order = Order.objects.get(buyer=buyer)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == url("payments:pay", reference=order.reference)
    assert order.ship_to_phone == "+33612345678"
    assert buyer.addresses.get().city == "Paris"


def test_a_wrong_postal_code_is_shown_on_the_form_and_nothing_is_ordered(client) -> None:
    client.force_login(make_buyer())
    client.post(url("orders:add_to_cart"), {"product": make_active_product().pk})

    response = client.post(url("orders:checkout"), checkout_data(postal_code="7501"))

    assert response.status_code == 200
    assert response.context["form"].errors["postal_code"]
    # the page shown again still prices the parcel (a valid card checkout is priced only once,
    # by the order itself)
    assert response.context["summary"].parcels
    assert not Order.objects.exists()


def test_nobody_else_sees_an_order_through_any_url(client) -> None:
    order = make_paid_order()
    parcel = order.sub_orders.get()
    other_buyer = make_buyer(email="other@souk.example")
    other_artisan = owner_of(make_paid_order().sub_orders.get().shop)
    buyer_urls = [url("orders:detail", reference=order.reference)]
    artisan_urls = [
        url("orders:artisan_detail", reference=parcel.reference),
        url("orders:packing_slip", reference=parcel.reference),
    ]
    posts = [
        url("orders:confirm_receipt", reference=parcel.reference),
        url("orders:buyer_message", reference=parcel.reference),
        url("orders:artisan_accept", reference=parcel.reference),
        url("orders:artisan_decline", reference=parcel.reference),
        url("orders:moderator_step", reference=parcel.reference),
        url("orders:cancel", reference=order.reference),
    ]
    for intruder in (other_buyer, other_artisan):
        client.force_login(intruder)
        for page in buyer_urls + artisan_urls:
            assert client.get(page).status_code == 404, page
        for action in posts:
            assert client.post(action, {"reason": "x", "body": "x"}).status_code in (403, 404)
    client.force_login(order.buyer)
    assert client.get(url("orders:moderation_list")).status_code == 403
    for page in artisan_urls:
        assert client.get(page).status_code == 404
    assert status_of(parcel) == SubOrderStatus.PAID


def status_of(parcel: SubOrder) -> str:
    parcel.refresh_from_db()
    return str(parcel.status)


def test_the_artisan_accepts_ships_and_prints_the_packing_slip(client) -> None:
    order = make_paid_order()
    parcel = order.sub_orders.get()
    client.force_login(owner_of(parcel.shop))

    listed = client.get(url("orders:artisan_list"))
    assert parcel.reference in listed.content.decode()
    client.post(url("orders:artisan_accept", reference=parcel.reference))
    client.post(url("fulfilment:ship", reference=parcel.reference))
    slip = client.get(url("orders:packing_slip", "ar", reference=parcel.reference))

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.SHIPPED
    assert slip["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(slip.content)).pages)
    assert order.ship_to_name in text
    assert parcel.reference in text
    assert parcel.lines.get().title in text


def test_a_refused_step_comes_back_as_a_message_on_the_page(client) -> None:
    parcel = make_paid_order().sub_orders.get()
    client.force_login(owner_of(parcel.shop))

    response = client.post(
        url("orders:artisan_decline", reference=parcel.reference), {"reason": ""}, follow=True
    )

    assert "Write the reason: the other party will read it." in response.content.decode()
    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.PAID


def test_the_buyer_follows_the_parcel_to_completion(client) -> None:
    order = make_paid_order()
    parcel = order.sub_orders.get()
    services.accept_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop))
    fulfilment.ship_sub_order(sub_order=parcel, artisan=owner_of(parcel.shop))
    client.force_login(order.buyer)

    page = client.get(url("orders:detail", reference=order.reference)).content.decode()
    parcel.refresh_from_db()
    assert parcel.tracking_number in page
    assert "Shipped" in page
    services.follow_tracking(sub_order=parcel, status="out_for_delivery")
    client.post(url("orders:confirm_receipt", reference=parcel.reference))

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.COMPLETED
    assert Order.objects.get(pk=order.pk).status == OrderStatus.CLOSED
    history = client.get(url("orders:detail", "fr", reference=order.reference)).content.decode()
    assert history.count("<time") >= 4


def test_moderators_find_a_parcel_and_refund_it(client) -> None:
    order = make_paid_order()
    parcel = order.sub_orders.get()
    client.force_login(make_moderator())

    found = client.get(url("orders:moderation_list"), {"q": order.reference})
    assert parcel.reference in found.content.decode()
    client.post(
        url("orders:moderator_step", reference=parcel.reference),
        {"action": "force_refund", "reason": "Counterfeit."},
    )

    parcel.refresh_from_db()
    assert parcel.status == SubOrderStatus.REFUNDED


SAVED_ADDRESSES = {
    "US": {
        "country": "US",
        "full_name": "Jane Miller",
        "line1": "350 Fifth Avenue",
        "line2": "Suite 5900",
        "city": "New York",
        "region": "NY",
        "postal_code": "10118",
        "phone": "+1 212 555 0123",
    },
    "ES": {
        "country": "ES",
        "full_name": "Lucía García",
        "line1": "Calle Mayor 5",
        "line2": "3º B",
        "city": "Madrid",
        "region": "28",
        "postal_code": "28013",
        "phone": "612 34 56 78",
    },
    "MA": {
        "country": "MA",
        "full_name": "Salma Alaoui",
        "line1": "12 rue Ibn Batouta",
        "line2": "Appartement 4",
        "city": "Casablanca",
        "region": "06",
        "postal_code": "20250",
        "phone": "06 12 34 56 78",
    },
    "FR": checkout_data(line2="Bâtiment B"),
    "JP": {
        "country": "JP",
        "full_name": "Yuki Tanaka",
        "line1": "1-1 Chiyoda",
        "line2": "",
        "city": "Tokyo",
        "postal_code": "100-0001",
        "phone": "+81 3 1234 5678",
    },
}


@pytest.mark.parametrize("country", sorted(SAVED_ADDRESSES))
def test_a_saved_address_comes_back_with_every_field(client, country: str) -> None:
    # given: an order placed with "keep this address", then a new visit to checkout
    client.force_login(make_buyer())
    client.post(url("orders:add_to_cart"), {"product": make_active_product().pk})
    typed = {
        key: value for key, value in SAVED_ADDRESSES[country].items() if key != "payment_method"
    }
    response = client.post(
        url("orders:checkout"),
        {**typed, "payment_method": "card", "save_address": "on", "checkout_token": "b" * 32},
    )
    assert response.status_code == 302, response.context["form"].errors
    client.post(url("orders:add_to_cart"), {"product": make_active_product().pk})
    # when
    page = client.get(url("orders:checkout"))
    # then: every field the buyer typed is there again, the State or province chosen
    form = page.context["form"]
    for name in ("country", "full_name", "line1", "line2", "city", "region"):
        if name in typed:
            assert str(form[name].value()) == typed[name], name
    html = page.content.decode()
    if "region" in typed:
        assert f'<option value="{typed["region"]}" selected>' in html
    assert form["postal_code"].value() == typed["postal_code"]
    assert form["phone"].value()
    # when: the buyer picks another carrier, which reloads the fields and parcels (htmx)
    refitted = client.post(url("orders:address_fields"), fields_sent_by_the_browser(html))
    # then: the State (or province, or region) is still chosen: "Place the order" is not blocked
    refitted_html = refitted.content.decode()
    if "region" in typed:
        assert f'<option value="{typed["region"]}" selected>' in refitted_html
    assert f'value="{typed["line1"]}"' in refitted_html


class _FormFields(HTMLParser):
    """What a browser submits from a page's first form: inputs, checked choices, selections."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        name = values.get("name", "")
        if tag == "input" and name:
            if values.get("type") in ("radio", "checkbox") and "checked" not in values:
                return
            self.fields[name] = values.get("value", "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in values:
            self.fields[self._select] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def fields_sent_by_the_browser(html: str) -> dict[str, str]:
    parser = _FormFields()
    parser.feed(html)
    return parser.fields


MOROCCAN_ADDRESS = dict(SAVED_ADDRESSES["MA"])


def test_cash_on_delivery_is_not_offered_above_the_limit(client, settings) -> None:
    # given: a cart of 6,000 MAD to Casablanca, cash on delivery up to 5,000 MAD
    settings.SOUK_COD_MAX_AMOUNT = 500_000
    client.force_login(make_buyer())
    rug = make_active_product(price_amount=600_000)
    cheap = make_active_product(price_amount=45_000)
    client.post(url("orders:add_to_cart"), {"product": rug.pk})
    # when
    fields = client.post(url("orders:address_fields"), MOROCCAN_ADDRESS).content.decode()
    # then: the choice is not there; card and wallet are
    assert 'value="cod"' not in fields
    assert 'value="card"' in fields
    assert 'value="wallet"' in fields
    # and under the limit it is offered
    CartItem.objects.filter(product=rug).delete()
    client.post(url("orders:add_to_cart"), {"product": cheap.pk})
    fields = client.post(url("orders:address_fields"), MOROCCAN_ADDRESS).content.decode()
    assert 'value="cod"' in fields


def test_a_total_moved_over_the_cash_limit_is_said_in_place_keeping_the_form(
    client, settings
) -> None:
    # given: cash on delivery chosen on a page shown while the cart was under the limit
    settings.SOUK_COD_MAX_AMOUNT = 500_000
    client.force_login(make_buyer())
    vase = make_active_product(price_amount=450_000, stock_quantity=3)
    client.post(url("orders:add_to_cart"), {"product": vase.pk})
    page = client.get(url("orders:checkout")).content.decode()
    assert 'value="cod"' in page
    # when: the cart moves over the limit (a second vase added in another tab), then
    # the buyer reloads the parcels, then places the order with cash on delivery
    client.post(url("orders:add_to_cart"), {"product": vase.pk})
    typed = {**MOROCCAN_ADDRESS, "payment_method": "cod", "checkout_token": "c" * 32}
    refitted = client.post(url("orders:address_fields"), typed).content.decode()
    response = client.post(url("orders:checkout"), {**typed, "save_address": "on"})
    # then: both say so in place; the page keeps what was typed; nothing is ordered
    limit_message = (
        "Cash on delivery is possible only in Morocco and up to MAD5,000.00. "
        "Choose another way to pay."
    )
    assert limit_message in refitted
    assert response.status_code == 200
    html = response.content.decode()
    assert limit_message in html
    assert 'value="12 rue Ibn Batouta"' in html
    assert '<option value="06" selected>' in html
    assert 'value="cod"' not in html
    assert not Order.objects.exists()
