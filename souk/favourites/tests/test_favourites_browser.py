"""Saving a piece in Arabic on a 360 px phone, in a real browser: the card's and the page's
Save buttons, the htmx swap and the menu's count, the favourites page; no horizontal scroll and
no serious or critical axe-core violation. Drives Debian's chromium, as
souk/web/tests/test_legal_browser.py."""

from __future__ import annotations

import pytest

from souk.catalog.tests.factories import make_active_product, run_worker
from souk.search import tasks as search_tasks
from souk.web.tests.test_artisan_path_browser import AXE_SOURCE, CHROMIUM, PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no Debian chromium at /usr/bin/chromium"),
]


def _problems(page) -> list[str]:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    found = [f"{page.url} is {width} px wide"] if width > PHONE["width"] else []
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found += [
        f"{page.url}: {violation['id']} ({violation['impact']})"
        f" {[node['html'][:200] for node in violation['nodes']]}"
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    return found


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data")
def test_a_guest_saves_a_piece_in_arabic_on_a_phone(browser, live_server) -> None:
    # given: two pieces on sale, indexed
    tagine = make_active_product(title_ar="طاجين أزرق", price_amount=45_000)
    bowl = make_active_product(shop=tagine.shop, title_ar="زبدية خضراء")
    search_tasks.index_products.call([tagine.pk, bowl.pk])
    run_worker()  # the photos' renditions
    page = browser.new_page(viewport=PHONE, locale="ar")
    problems: list[str] = []
    # when: on the search page, the tagine's Save is pressed (htmx swaps the button)
    page.goto(f"{live_server.url}/ar/search/")
    assert page.locator("form.favourite").count() == 2
    problems += _problems(page)
    page.locator(f"form.favourite[action$='/piece/{tagine.pk}/save/'] button").click()
    page.wait_for_selector("form.favourite--saved")
    assert page.locator("form.favourite--saved").count() == 1
    # then: that button says Saved, and the menu counts one
    assert "محفوظة" in page.locator("form.favourite--saved").inner_text()
    # (the menu is closed: its text is read, not its rendering)
    assert page.locator("#favourites-count").text_content() == "1"
    assert page.locator("#favourites-count").get_attribute("hidden") is None
    # when: the product page of the other piece, saved from there
    page.goto(f"{live_server.url}/ar/products/{bowl.pk}-{bowl.slug}/")
    problems += _problems(page)
    page.locator(".product__summary form.favourite button").click()
    page.wait_for_selector(".product__summary form.favourite--saved")
    # then: the favourites page lists both, right to left
    page.goto(f"{live_server.url}/ar/favourites/")
    titles = page.locator(".product-card__title").all_inner_texts()
    assert sorted(titles) == sorted(["طاجين أزرق", "زبدية خضراء"])
    assert page.evaluate("document.documentElement.dir") == "rtl"
    problems += _problems(page)
    assert not problems
