"""Issue #20 defect 9: on a phone, the wallet pay page leads with the payment request pushed to
the account's phone (pre-filled) and a link that opens the wallet app; the QR code, meant for a
second screen, comes after. On a computer the QR code leads, as before."""

from __future__ import annotations

import html

import pytest

from souk.orders.models import Order
from souk.orders.tests.factories import make_buyer, make_unpaid_order
from souk.sandbox.models import WalletPushRequest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

PHONE_BROWSER = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
DESKTOP_BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
PUSH = "Send the payment request to my phone"


@pytest.fixture(autouse=True)
def wallet_over_http(live_server, settings):
    settings.SOUK_SITE_URL = live_server.url
    settings.WALLET_API_URL = f"{live_server.url}/sandbox/wallet/api"
    settings.WALLET_APP_URL = f"{live_server.url}/sandbox/wallet/"
    return live_server


def _wallet_order() -> Order:
    buyer = make_buyer(phone="+212612345678")
    return make_unpaid_order(buyer=buyer, payment_method="wallet")


def test_on_a_phone_the_request_to_my_phone_and_the_app_link_come_before_the_qr(client):
    order = _wallet_order()
    client.force_login(order.buyer)

    page = client.get(
        f"/en/payments/{order.reference}/", HTTP_USER_AGENT=PHONE_BROWSER
    ).content.decode()

    assert page.index(PUSH) < page.index("Open my wallet app") < page.index("<svg")
    assert 'value="+212612345678"' in page  # the account's phone, pre-filled
    assert "<details" in page.split("Open my wallet app")[1]  # the QR folded, for a 2nd screen
    anchor = 'class="button button--secondary payment__app-link" href="'
    link = html.unescape(page.split(anchor)[1].split('"')[0])
    assert link.startswith("http")
    assert "payload=000201" in link

    # the link opens the wallet app with the order's payment filled in
    opened = client.get(link).content.decode()
    assert order.reference in opened
    assert 'name="decision" value="approve"' in opened  # one tap to approve


def test_the_pre_filled_request_reaches_the_wallet_of_the_accounts_phone(client):
    order = _wallet_order()
    client.force_login(order.buyer)
    client.get(f"/en/payments/{order.reference}/", HTTP_USER_AGENT=PHONE_BROWSER)

    answer = client.post(
        f"/en/payments/{order.reference}/wallet/push/",
        {"phone": "+212612345678"},
        HTTP_USER_AGENT=PHONE_BROWSER,
        follow=True,
    )

    assert "Request sent. Approve it in your wallet app." in answer.content.decode()
    push = WalletPushRequest.objects.get()
    assert (push.phone, push.reference) == ("+212612345678", order.reference)


def test_on_a_computer_the_qr_code_leads(client):
    order = _wallet_order()
    client.force_login(order.buyer)

    page = client.get(
        f"/en/payments/{order.reference}/", HTTP_USER_AGENT=DESKTOP_BROWSER
    ).content.decode()

    assert page.index("<svg") < page.index("Send the request")
    assert PUSH not in page
    assert "Open my wallet app" not in page
