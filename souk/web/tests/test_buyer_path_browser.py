"""The buyer's purchase in a real browser, as issue #20 asks: in English from the home page to
an order paid by card through the sandbox processor's 3-D Secure page, with USD chosen; and in
French with cash on delivery. Each walk asserts the fixed behaviours a buyer sees (defects 1, 2,
3 and 8, the legal links), counts its screens (main-frame page loads) and prints them with the
walk's time. Screenshots of the product page and the checkout, desktop and 360 px, go to
SOUK_SCREENSHOTS_DIR when set (docs/buyer-path/ holds the committed ones), else to the test's
temporary folder. Drives Debian's chromium, as test_artisan_path_browser.py."""

from __future__ import annotations

import datetime
import os
import re
import time
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from souk.accounts.tests.factories import TEST_PASSWORD
from souk.catalog.tests.factories import make_active_product, run_worker
from souk.core.models import ExchangeRate
from souk.orders import services as orders
from souk.orders.models import CartItem, Order, OrderStatus, SavedAddress
from souk.orders.tests.factories import make_buyer
from souk.sandbox import services as sandbox
from souk.search import tasks as search_tasks
from souk.web.tests.test_artisan_path_browser import AXE_SOURCE, CHROMIUM, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium"),
]
DESKTOP = {"width": 1280, "height": 900}
LEGAL = ["terms", "privacy", "returns", "shipping", "contact"]


@pytest.fixture
def site(live_server, settings):
    settings.SOUK_SITE_URL = live_server.url
    settings.CMI_GATEWAY_URL = f"{live_server.url}/sandbox/cmi/fim/est3Dgate"
    settings.CMI_API_URL = f"{live_server.url}/sandbox/cmi/fim/api"
    return live_server


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SOUK_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _counting(page) -> list[str]:
    screens: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: screens.append(frame.url) if frame == page.main_frame else None,
    )
    return screens


# Screens that leave by themselves (a form posted by script to the processor or back): no time
# for a reader, nor for axe; each is a plain "Continue" page when scripts are off.
PASSING_SCREENS = re.compile(r"/payments/[^/]+/$|/est3Dgate$|/est3Dgate/card$|/est3Dgate/3ds$")


def _axe(page, checked: list[str]) -> None:
    """No serious or critical axe-core violation on the screen shown now (test_artisan_path_
    browser.py's rule), which is counted as checked."""
    page.wait_for_load_state("load")
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, f"{page.url}: {serious}"
    checked.append(page.url.split("?")[0].split("#")[0])


def _all_checked(screens: list[str], checked: list[str]) -> None:
    """Every screen of the walk went through axe, but those that leave by themselves."""
    seen = set(checked)
    missed = [
        url
        for url in screens
        if url.split("?")[0].split("#")[0] not in seen
        and not PASSING_SCREENS.search(url.split("?")[0])
    ]
    assert not missed, f"screens not checked by axe: {missed}"


def _shoot(page, shots: Path, name: str) -> None:
    """The page at desktop width, and the same address loaded on a 360 px phone (same session,
    a page of its own: not a screen of the walk), where nothing scrolls sideways."""
    page.screenshot(path=str(shots / f"{name}-desktop.png"))
    phone = page.context.new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(page.url)
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.scrollWidth > e.clientWidth + 1"
        " && getComputedStyle(e).overflowX == 'visible').slice(-4).map(e => e.tagName + '.'"
        " + e.className + ' ' + e.scrollWidth + '/' + e.clientWidth)"
    )
    assert width <= PHONE["width"], f"{phone.url} is {width} px wide on a phone: {wide}"
    phone.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
    phone.close()


def _text(page, selector: str = "main") -> str:
    return " ".join(page.inner_text(selector).split())


def _legal_links(page, scope: str, language: str) -> None:
    for slug in LEGAL:
        assert page.locator(f"{scope} a[href='/{language}/help/{slug}/']").count() >= 1, (
            scope,
            slug,
        )


def _choose(page, selector: str, value: str) -> None:
    """Open the header's menu when it is folded, then pick `value`."""
    page.evaluate(
        "s => { const d = document.querySelector(s).closest('details'); if (d) d.open = true; }",
        selector,
    )
    page.select_option(selector, value)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
def test_a_buyer_in_new_york_pays_by_card_with_3d_secure_in_dollars(browser, live_server, shots):
    # given: a one-of-a-kind tagine of 450 MAD; a dollar at 10 MAD; a buyer whose unpaid visit
    # left the tagine in the account's cart and whose New York address is saved
    tagine = make_active_product(price_amount=45_000, stock_quantity=1, title_en="Blue tagine")
    search_tasks.index_products.call([tagine.pk])
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 27), currency="USD", mad_per_unit="10.0000"
    )
    buyer = make_buyer(email="jane@example.com")
    orders.add_to_cart(
        cart=orders.get_or_create_cart(user=buyer, cart_id=None), product_id=tagine.pk
    )
    SavedAddress.objects.create(
        user=buyer,
        full_name="Jane Miller",
        line1="350 Fifth Avenue",
        city="New York",
        region="NY",
        postal_code="10118",
        country="US",
        phone="+12125550123",
    )
    started = time.monotonic()
    page = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    screens = _counting(page)
    checked: list[str] = []
    charged = "MAD450.00 charged, rate of 27 Nov 2026"

    # when: the home page, USD chosen
    page.goto(f"{live_server.url}/en/")
    _axe(page, checked)
    with page.expect_navigation():  # the choice submits itself
        _choose(page, "#currency-select", "USD")
    _axe(page, checked)
    # then: the card leads with dollars, the MAD charged beside
    assert f"≈ $45.00 {charged}" in _text(page)
    _legal_links(page, "footer", "en")

    # the product page leads with dollars too
    with page.expect_navigation():
        page.click("main a:has-text('Blue tagine')")
    assert f"≈ $45.00 {charged}" in _text(page)
    _axe(page, checked)
    _shoot(page, shots, "product-en-usd")
    with page.expect_navigation():
        page.click("form.add-to-cart button[type=submit]")
    _axe(page, checked)

    # checkout offers to log in (or to go on as a guest); the account's cart joins without
    # doubling the piece, and the log-in comes back to checkout
    page.goto(f"{live_server.url}/en/checkout/")
    _axe(page, checked)
    with page.expect_navigation():
        page.click("main .checkout-account a:has-text('Log in')")
    _axe(page, checked)
    page.fill("#id_username", "jane@example.com")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/en/checkout/" in page.url
    assert "Pieces in both carts were counted once: Blue tagine (1)" in _text(page, "body")
    assert list(CartItem.objects.filter(cart__user=buyer).values_list("quantity", flat=True)) == [1]

    # the saved New York address comes back with its State, and stays after a carrier reload
    assert page.input_value("#id_country") == "US"
    assert page.input_value("#id_region") == "NY"
    assert page.input_value("#id_line1") == "350 Fifth Avenue"
    _legal_links(page, "main", "en")
    page.check("input[name=payment_method][value=card]")
    _axe(page, checked)
    _shoot(page, shots, "checkout-en-usd")

    # pay: the sandbox processor's card page, then its 3-D Secure page
    _pay_with_3d_secure(page, checked)

    # then: one order, paid, of one tagine at 450 MAD
    order = Order.objects.get(buyer=buyer)
    assert order.status == OrderStatus.PLACED
    assert order.total_amount >= 45_000
    assert order.sub_orders.get().lines.get().quantity == 1
    _all_checked(screens, checked)
    seconds = time.monotonic() - started
    print(f"\nbuyer path (en, card, 3-D Secure, USD): {len(screens)} screens, {seconds:.1f} s")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
def test_a_buyer_in_casablanca_pays_cash_on_delivery_within_its_limit(
    browser, live_server, shots, settings
):
    # given: cash on delivery up to 5,000 MAD; a rug of 6,000 MAD and a bowl of 450 MAD
    settings.SOUK_COD_MAX_AMOUNT = 500_000
    rug = make_active_product(price_amount=600_000, title_fr="Tapis de laine")
    bowl = make_active_product(shop=rug.shop, price_amount=45_000, title_fr="Bol vert")
    search_tasks.index_products.call([rug.pk, bowl.pk])
    buyer = make_buyer(email="salma@example.com")
    started = time.monotonic()
    page = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    screens = _counting(page)
    checked: list[str] = []

    # when: the home page, logged in, the rug in the cart
    with translation.override("fr"):
        page.goto(live_server.url + reverse("accounts:login"))
    _axe(page, checked)
    page.fill("#id_username", "salma@example.com")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    _axe(page, checked)
    page.goto(f"{live_server.url}/fr/")
    _axe(page, checked)
    _legal_links(page, "footer", "fr")
    with page.expect_navigation():
        page.click("main a:has-text('Tapis de laine')")
    _axe(page, checked)
    with page.expect_navigation():
        page.click("form.add-to-cart button[type=submit]")
    _axe(page, checked)
    page.goto(f"{live_server.url}/fr/checkout/")
    page.fill("#id_full_name", "Salma Alaoui")
    page.fill("#id_line1", "12 rue Ibn Batouta")
    page.fill("#id_city", "Casablanca")
    page.select_option("#id_region", "06")
    page.fill("#id_postal_code", "20250")
    page.fill("#id_phone", "0612345678")
    page.wait_for_selector("input[name=payment_method][value=card]")
    # then: above the limit cash on delivery is not offered
    assert page.locator("input[name=payment_method][value=cod]").count() == 0
    assert "Paiement à la livraison : au Maroc uniquement, jusqu'à" in _text(page)
    _axe(page, checked)

    # when: the rug swapped for the bowl (under the limit)
    CartItem.objects.filter(cart__user=buyer, product=rug).delete()
    page.goto(f"{live_server.url}/fr/")
    _axe(page, checked)
    with page.expect_navigation():
        page.click("main a:has-text('Bol vert')")
    _axe(page, checked)
    _shoot(page, shots, "product-fr")
    with page.expect_navigation():
        page.click("form.add-to-cart button[type=submit]")
    _axe(page, checked)
    page.goto(f"{live_server.url}/fr/checkout/")
    page.fill("#id_full_name", "Salma Alaoui")
    page.fill("#id_line1", "12 rue Ibn Batouta")
    page.fill("#id_city", "Casablanca")
    page.select_option("#id_region", "06")
    page.fill("#id_postal_code", "20250")
    page.fill("#id_phone", "0612345678")
    page.wait_for_selector("input[name=payment_method][value=cod]")  # offered, under the limit
    page.check("input[name=payment_method][value=cod]")
    _legal_links(page, "main", "fr")
    _legal_links(page, "footer", "fr")
    _axe(page, checked)
    _shoot(page, shots, "checkout-fr-cod")
    with page.expect_navigation():
        page.click("main form.checkout button[type=submit]")
    _axe(page, checked)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    _axe(page, checked)

    # then: the order is confirmed, to be paid in cash
    assert "Votre commande est confirmée. Vous payez à la livraison." in _text(page, "body")
    order = Order.objects.get(buyer=buyer)
    assert order.payment_method == "cod"
    assert order.status == OrderStatus.PLACED
    assert order.sub_orders.get().lines.get().product_id == bowl.pk
    _all_checked(screens, checked)
    seconds = time.monotonic() - started
    print(f"\nbuyer path (fr, cash on delivery): {len(screens)} screens, {seconds:.1f} s")


def _pay_with_3d_secure(page, checked: list[str]) -> None:
    """From the checkout's "Place the order and pay": the sandbox processor's card page, its
    3-D Secure page, then back to Souk until the callback says the payment is received."""
    with page.expect_navigation(url=re.compile(r"/est3Dgate/card|/est3Dgate$")):
        page.click("main button[type=submit]")
    page.wait_for_selector("#card-number")
    _axe(page, checked)
    page.fill("#card-number", sandbox.THREE_D_SECURE_CARD)
    page.fill("#card-expiry", "12/39")
    page.fill("#card-cvc", "000")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_selector("#code")
    _axe(page, checked)
    page.fill("#code", sandbox.THREE_D_SECURE_CODE)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/en/payments/[^/]+/return/"))
    run_worker()  # the processor's callback, queued as a task
    page.wait_for_selector("text=Payment received. Thank you!", timeout=15_000)
    _axe(page, checked)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data", "site")
def test_a_guest_in_new_york_pays_by_card_then_creates_the_account(browser, live_server, shots):
    # given: a tagine of 450 MAD, a visitor without an account
    tagine = make_active_product(price_amount=45_000, stock_quantity=1, title_en="Blue tagine")
    search_tasks.index_products.call([tagine.pk])
    started = time.monotonic()
    page = browser.new_context(viewport=DESKTOP, locale="en-US").new_page()
    screens = _counting(page)
    checked: list[str] = []

    # when: from the home page to the cart
    page.goto(f"{live_server.url}/en/")
    _axe(page, checked)
    with page.expect_navigation():
        page.click("main a:has-text('Blue tagine')")
    _axe(page, checked)
    with page.expect_navigation():
        page.click("form.add-to-cart button[type=submit]")
    _axe(page, checked)
    # checkout without an account: an email and a phone, the New York address, a card
    page.goto(f"{live_server.url}/en/checkout/")
    assert "You can order without an account." in _text(page)
    assert page.locator("input[name=payment_method][value=cod]").count() == 0
    page.fill("#id_guest_email", "jane.miller@example.com")
    page.fill("#id_guest_phone", "+1 212 555 0123")
    with page.expect_response(re.compile(r"/address-fields/")):
        page.select_option("#id_country", "US")
    page.fill("#id_full_name", "Jane Miller")
    page.fill("#id_line1", "350 Fifth Avenue")
    page.fill("#id_city", "New York")
    page.select_option("#id_region", "NY")
    page.fill("#id_postal_code", "10118")
    page.fill("#id_phone", "+1 212 555 0123")
    page.check("input[name=payment_method][value=card]")
    _legal_links(page, "main", "en")
    _axe(page, checked)
    _shoot(page, shots, "checkout-en-guest")
    _pay_with_3d_secure(page, checked)

    # then: the order is paid, its buyer a guest; the link to it is on the order's page
    order = Order.objects.select_related("buyer").get()
    assert order.status == OrderStatus.PLACED
    assert order.buyer.is_guest
    with page.expect_navigation():
        page.click("main a:has-text('See your order')")
    assert "/en/orders/guest/" in page.url
    assert "We sent the link to this page to jane.miller@example.com." in _text(page)
    assert page.input_value("#guest-account-email") == "jane.miller@example.com"
    _axe(page, checked)
    _shoot(page, shots, "order-en-guest")

    # when: the account is created from the order's page, with just a password
    page.fill("#id_password1", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button:has-text('Create my account')")
    # then: signed in, the order is the account's
    assert page.url.endswith(f"/en/orders/{order.reference}/")
    assert "Your account is ready; this order is in your orders." in _text(page, "body")
    _axe(page, checked)
    account = Order.objects.select_related("buyer").get(pk=order.pk).buyer
    assert account.email == "jane.miller@example.com"
    assert not account.is_guest
    _all_checked(screens, checked)
    seconds = time.monotonic() - started
    print(f"\nbuyer path (en, guest, card, 3-D Secure): {len(screens)} screens, {seconds:.1f} s")
