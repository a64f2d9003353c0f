"""Assisted mode and lessons in a real browser on a 360 x 740 phone, in Arabic and French: the
advisor's panel, the banner while acting, the artisan's record and a lesson — no horizontal
scroll, no serious or critical axe-core violation. Screenshots go to SOUK_SCREENSHOTS_DIR when
set, else to the test's temporary folder. Drives Debian's chromium (/usr/bin/chromium)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client

from souk.accounts.models import User
from souk.support import assistance
from souk.support.tests.factories import make_advisor, make_artisan_in, shop_of

CHROMIUM = Path("/usr/bin/chromium")
AXE_SOURCE = Path(__file__).parents[2] / "web" / "tests" / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"width": 360, "height": 740}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium"),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.django_db(transaction=True),
]


def _signed_in(browser, live_server, user: User):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def _check(page, shots: Path, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} ({page.url}) is {width} px wide"
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{violation['id']}: " + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, f"{name} ({page.url}): {serious}"


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_assisted_mode_and_a_lesson_fit_a_phone(browser, live_server, tmp_path, language):
    shots = Path(os.environ.get("SOUK_SCREENSHOTS_DIR", tmp_path))
    advisor = make_advisor(full_name="Karima Idrissi")
    artisan = make_artisan_in()
    asked = assistance.ask_in_app(advisor=advisor, artisan_id=artisan.pk)
    assistance.allow(artisan=artisan, assistance_id=asked.pk)
    # the advisor's panel, then acting for the artisan: the banner on the shop's dashboard
    page = _signed_in(browser, live_server, advisor.user)
    page.goto(f"{live_server.url}/{language}/support/portfolio/{artisan.pk}/")
    _check(page, shots, f"assist-advisor-{language}")
    with page.expect_navigation():
        page.click("form[action$='/assist/start/'] button")
    assert page.url.endswith(f"/shops/manage/{shop_of(artisan).pk}/")
    assert page.locator(".acting-banner").is_visible()
    _check(page, shots, f"assist-acting-{language}")
    with page.expect_navigation():
        page.click(".acting-banner button")
    assert page.locator(".acting-banner").count() == 0
    # the artisan's support page with the record, and a lesson with its recording
    page = _signed_in(browser, live_server, artisan)
    page.goto(f"{live_server.url}/{language}/support/")
    _check(page, shots, f"assist-artisan-{language}")
    page.goto(f"{live_server.url}/{language}/support/lessons/packing/")
    assert page.locator("audio").count() == 1
    _check(page, shots, f"lesson-{language}")
