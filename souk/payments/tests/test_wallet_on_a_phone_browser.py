"""Issue #20 defect 9 in a real browser: on a 360 px phone (a phone's User-Agent) the wallet
pay page leads with the request pushed to the account's phone and the link that opens the
wallet app, the QR folded; the request is sent, the app opened from the link approves, and the
order is paid. Drives Debian's chromium, as souk/web/tests/test_artisan_path_browser.py."""

from __future__ import annotations

import pytest

from souk.accounts.tests.factories import TEST_PASSWORD
from souk.catalog.tests.factories import run_worker
from souk.orders.models import Order, OrderStatus
from souk.orders.tests.factories import make_buyer, make_unpaid_order
from souk.payments.tests.test_wallet_on_a_phone import PHONE_BROWSER
from souk.sandbox.models import PushStatus, WalletPushRequest
from souk.web.tests.test_artisan_path_browser import CHROMIUM, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_on_a_phone_the_buyer_pays_from_the_request_sent_to_their_phone(
    browser, live_server, settings
):
    # given: a wallet order of a buyer whose account has a phone number
    settings.SOUK_SITE_URL = live_server.url
    settings.WALLET_API_URL = f"{live_server.url}/sandbox/wallet/api"
    settings.WALLET_APP_URL = f"{live_server.url}/sandbox/wallet/"
    buyer = make_buyer(email="salma@example.com", phone="+212612345678")
    order = make_unpaid_order(buyer=buyer, payment_method="wallet")
    context = browser.new_context(
        viewport=PHONE, user_agent=PHONE_BROWSER, is_mobile=True, has_touch=True, locale="en"
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/en/payments/{order.reference}/")
    page.fill("#id_username", "salma@example.com")
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")

    # then: the push and the app link come first, on screen; the QR is folded away
    push = page.get_by_role("button", name="Send the payment request to my phone")
    app = page.get_by_role("link", name="Open my wallet app")
    assert push.is_visible()
    assert app.is_visible()
    assert push.bounding_box()["y"] < app.bounding_box()["y"] < PHONE["height"]
    assert not page.locator(".payment__qr svg").is_visible()
    assert page.input_value("#id_phone") == "+212612345678"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    # when: the request is sent, then the wallet app opened from the link approves it
    with page.expect_navigation():
        push.click()
    assert "Request sent. Approve it in your wallet app." in page.inner_text("body")
    assert WalletPushRequest.objects.get().phone == "+212612345678"
    with page.expect_navigation():
        app.click()
    assert order.reference in page.inner_text("body")
    with page.expect_navigation():
        page.click("button[name=decision][value=approve]")
    run_worker()  # the wallet's callback, queued as a task

    # then: the order is paid
    assert Order.objects.get(pk=order.pk).status == OrderStatus.PLACED
    assert WalletPushRequest.objects.filter(status=PushStatus.APPROVED).exists()
    context.close()
