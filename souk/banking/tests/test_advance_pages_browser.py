"""The advances' pages on a 360 px phone, in Arabic (right to left) and French: the
portfolio's table of advances, the money page, the early repayment and the settlement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from souk.accounts.models import User
from souk.banking.tests.test_advances import complete_a_sale, fund, funded_bank
from souk.shops.tests.factories import make_approved_shop, owner_of

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium"),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.django_db(transaction=True),
]


def _page_as(browser: Any, live_server: Any, user: User, language: str) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, locale=language, is_mobile=True)
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_advance_pages_fit_a_360_px_phone(browser, live_server, language, tmp_path):
    # given an advance being repaid
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 1_500_000, 120_000, "10")
    complete_a_sale(shop)
    officer = bank.officers.get().user
    pages = [
        (officer, f"/{language}/banking/bank/portfolio/", advance.reference),
        (officer, f"/{language}/banking/bank/advances/{advance.reference}/settle/", "radio"),
        (owner_of(shop), f"/{language}/banking/?shop={shop.pk}", advance.reference),
        (owner_of(shop), f"/{language}/banking/advances/{advance.reference}/repay/", "checkbox"),
    ]
    for user, path, expected in pages:
        # when each page opens on a 360 px phone
        page = _page_as(browser, live_server, user, language)
        response = page.goto(f"{live_server.url}{path}")
        page.screenshot(path=str(tmp_path / f"{language}-{len(path)}.png"), full_page=True)
        # then it answers, shows the advance and does not scroll sideways
        assert response.status == 200
        assert expected in page.content()
        width = page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"
        page.context.close()
