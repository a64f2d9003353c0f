"""The legal pages and a certificate's public page on a 360 px phone, in a real browser (issue
#20): no horizontal scroll and no serious or critical axe-core violation, in the four
languages (Arabic right to left). Drives Debian's chromium, as test_artisan_path_browser.py."""

from __future__ import annotations

import pytest

from souk.fulfilment import services as fulfilment
from souk.fulfilment.models import Certificate
from souk.orders import services as orders
from souk.orders.tests.factories import make_paid_order
from souk.shops.tests.factories import owner_of
from souk.web.tests.test_artisan_path_browser import AXE_SOURCE, CHROMIUM, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium"),
]
PAGES = ["terms", "privacy", "returns", "shipping", "contact"]


def _problems(page) -> list[str]:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    found = [f"{page.url} is {width} px wide"] if width > PHONE["width"] else []
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found += [
        f"{page.url}: {violation['id']} ({violation['impact']})"
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("language", ["ar", "fr", "en", "es"])
def test_the_legal_pages_and_a_certificate_read_on_a_phone(browser, live_server, language):
    # given: a shipped piece and its certificate
    parcel = make_paid_order(country="US").sub_orders.get()
    artisan = owner_of(parcel.shop)
    orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    fulfilment.ship_sub_order(sub_order=parcel, artisan=artisan)
    code = Certificate.objects.get(shipment__sub_order=parcel).code
    page = browser.new_page(viewport=PHONE, locale=language)

    # when / then
    problems = []
    for slug in PAGES:
        page.goto(f"{live_server.url}/{language}/help/{slug}/")
        problems += _problems(page)
    page.goto(f"{live_server.url}/c/{code}")
    assert f"/{language}/certificates/{code}/" in page.url
    assert page.locator(".verdict--yes").count() == 1
    problems += _problems(page)
    assert not problems
