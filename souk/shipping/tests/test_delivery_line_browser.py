"""The delivery line on a 360 px product page in Arabic, in Debian's chromium: it reads right
to left, nothing scrolls sideways, and choosing another country with the form (no script
needed) changes the quote."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from souk.catalog.tests.factories import make_active_product
from souk.web.tests.test_artisan_path_browser import CHROMIUM, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium"),
    # The live server's tests run in transactions that empty the tables after each test: the
    # register's sectors and regions are loaded again for this one.
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reference_data"),
]


def test_the_delivery_line_on_an_arabic_phone_page(browser, live_server, tmp_path) -> None:
    product = make_active_product()
    page = browser.new_page(viewport=PHONE, locale="ar", java_script_enabled=False)

    page.goto(f"{live_server.url}/ar/products/{product.pk}-{product.slug}/")
    line = page.locator(".delivery__quote")
    before = " ".join(line.inner_text().split())
    page.locator(".delivery__change > summary").click()
    page.select_option("#delivery-country", "FR")
    page.locator(".delivery__change button").click()
    after = " ".join(page.locator(".delivery__quote").inner_text().split())

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert before.startswith("التوصيل إلى المغرب:"), before
    assert after.startswith("التوصيل إلى فرنسا:"), after
    assert "580" in after
    assert page.locator(".delivery__returns a[href='/ar/help/returns/']").count() == 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    shots = Path(os.environ.get("SOUK_SCREENSHOTS_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.locator("#delivery").screenshot(path=str(shots / "product-ar-delivery-phone.png"))
