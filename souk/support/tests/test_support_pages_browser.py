"""The support pages in a real browser on a 360 x 740 phone, in Arabic (right to left) and
French: the advisor's portfolio and help queue, the artisan's path (with the nudges switch) and
the lessons, the programme's funnel — no horizontal scroll, no serious or critical axe-core
violation. Drives Debian's chromium (/usr/bin/chromium); screenshots as in
test_assist_browser.py."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.shops.tests.factories import make_artisan
from souk.support import help, nudges
from souk.support.help_models import NudgeOptOutWay
from souk.support.tests.factories import make_advisor, make_artisan_in
from souk.support.tests.test_assist_browser import CHROMIUM, _check, _signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium"),
    pytest.mark.usefixtures("reference_data"),
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_the_support_pages_fit_a_phone(browser, live_server, tmp_path, language):
    shots = Path(os.environ.get("SOUK_SCREENSHOTS_DIR", tmp_path))
    advisor = make_advisor(full_name="Karima Idrissi El Alaoui Benmoussa")
    artisans = [
        make_artisan_in(owner=make_artisan(full_name=name))
        for name in (
            "Fatima Zahra Bennani El Idrissi",
            "عبد الرحمن بن عبد الله الإدريسي العلوي",
            "Aicha",
        )
    ]
    help.ask_for_help(
        artisan=artisans[0], topic="photos", channel="visit", slots=["morning", "weekend"]
    )
    nudges.opt_out(artisan_id=artisans[1].pk, way=NudgeOptOutWay.SMS)
    analyst = accounts.grant_role(user=make_user(), role=Role.ANALYST)
    pages = [
        (advisor.user, "/support/portfolio/", "portfolio"),
        (advisor.user, f"/support/portfolio/{artisans[1].pk}/", "portfolio-artisan"),
        (advisor.user, "/support/help/queue/", "help-queue"),
        (artisans[1], "/support/", "path"),
        (artisans[1], "/support/lessons/", "lessons"),
        (analyst, "/support/funnel/", "funnel"),
    ]
    for user, path, name in pages:
        page = _signed_in(browser, live_server, user)
        response = page.goto(f"{live_server.url}/{language}{path}")
        assert response.status == 200, path
        _check(page, shots, f"support-{name}-{language}")
        page.context.close()
