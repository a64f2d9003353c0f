"""The help pages on a 360 px phone, in Arabic and French: no horizontal scroll."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from souk.accounts.models import User
from souk.shops.tests.factories import make_artisan
from souk.support import help
from souk.support.tests.factories import make_advisor, make_artisan_in

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}
# The elements past the screen's edges, for the failure message.
WIDE = (
    "[...document.querySelectorAll('main *')].filter(e => {"
    " const box = e.getBoundingClientRect(); return box.right > 360 || box.left < 0; })"
    ".map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 12)"
)

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
def test_the_help_pages_fit_a_360_px_phone(browser, live_server, language, tmp_path):
    # given an artisan with a request and their advisor
    advisor = make_advisor(full_name="Karima Idrissi")
    artisan = make_artisan_in(owner=make_artisan(full_name="Fatima Zahra Bennani"))
    request = help.ask_for_help(
        artisan=artisan, topic="photos", channel="visit", slots=["morning", "weekend"]
    )
    pages = [
        (artisan, f"/{language}/support/help/"),
        (advisor.user, f"/{language}/support/help/queue/"),
        (advisor.user, f"/{language}/support/help/queue/{request.pk}/"),
    ]
    for user, path in pages:
        # when each page opens on a 360 px phone
        page = _page_as(browser, live_server, user, language)
        response = page.goto(f"{live_server.url}{path}")
        page.screenshot(path=str(tmp_path / f"{language}-{len(path)}.png"), full_page=True)
        # then it answers and does not scroll sideways
        assert response.status == 200
        width = page.evaluate("document.scrollingElement.scrollWidth")
        wide = page.evaluate(WIDE) if width > PHONE["width"] else []
        assert width <= PHONE["width"], f"{path} is {width} px wide: {wide}"
        page.context.close()
