"""One buyer of bench_orders.py: the whole journey of a paid order in a browser's requests
(cart, checkout, the sandbox's card page and its signed return), repeated in a closed loop
until the deadline, each journey tallied.
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from browser import Browser, Page, StepFailed

APPROVED_VISA = "4000 0000 0000 0010"
THREE_D_SECURE_CARD = "5191 6301 0000 4896"
ADDRESS = {
    "full_name": "Salma Alaoui",
    "line1": "12 rue Ibn Batouta",
    "line2": "",
    "city": "Casablanca",
    "postal_code": "20250",
    "country": "MA",
    "phone": "+212612345678",
}


@dataclass
class Journey:
    started: float
    ended: float
    reference: str = ""
    error: str = ""
    requests: int = 0


@dataclass
class Tally:
    journeys: list[Journey] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, journey: Journey) -> None:
        with self.lock:
            self.journeys.append(journey)


# --- One buyer --------------------------------------------------------------------------------


def _expect(page: Page, path_part: str) -> Page:
    if page.status != 200 or path_part not in page.url:
        raise StepFailed(f"expected {path_part}, got {page.status} {page.url}")
    return page


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def one_order(browser: Browser, product: int, csrf: str, *, three_d_secure: bool) -> str:
    """The whole journey of one order; its reference."""
    _expect(
        browser.post(
            "/fr/cart/add/", {"csrfmiddlewaretoken": csrf, "product": str(product), "quantity": "1"}
        ),
        "/cart/",
    )
    checkout = _expect(browser.get("/fr/checkout/"), "/checkout/")
    fields = checkout.form(has_field="checkout_token").fields
    fields.update(ADDRESS)
    fields["payment_method"] = "card"
    pay = browser.post("/fr/checkout/", fields)
    found = re.search(r"/fr/payments/([A-Z0-9-]+)/$", pay.url)
    if pay.status != 200 or not found:
        raise StepFailed(f"checkout: {pay.status} {pay.url}")
    reference = found.group(1)
    gateway = pay.form(marker="data-autosubmit-payment")
    card_page = _expect(browser.post(_path(gateway.action), gateway.fields), "est3Dgate")
    card = card_page.form(action_contains="est3Dgate/card").fields
    card.update(
        card_number=THREE_D_SECURE_CARD if three_d_secure else APPROVED_VISA,
        expiry="12/30",
        cvc="000",
    )
    result = browser.post("/sandbox/cmi/fim/est3Dgate/card", card)
    if three_d_secure:
        code = result.form(action_contains="est3Dgate/3ds").fields
        code["code"] = "123"
        result = browser.post("/sandbox/cmi/fim/est3Dgate/3ds", code)
    back = result.form(marker="data-sandbox-autosubmit")
    if "/cmi/ok/" not in back.action:
        raise StepFailed(f"card declined: {back.action}")
    _expect(browser.post(_path(back.action), back.fields), f"/payments/{reference}/return/")
    return reference


def buyer(
    number: int,
    options: argparse.Namespace,
    seeded: dict[str, object],
    deadline: float,
    tally: Tally,
) -> None:
    browser = Browser("127.0.0.1", options.port)
    browser.cookies[str(seeded["session_cookie"])] = str(seeded["sessions"][number])  # type: ignore[index]
    products: list[int] = seeded["products"]  # type: ignore[assignment]
    first = browser.get("/fr/cart/")
    csrf_found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.body)
    csrf = csrf_found.group(1) if csrf_found else ""
    if not csrf:
        # An empty cart has no form: the checkout page carries the token once a line is in.
        csrf = browser.cookies.get("csrftoken", "")
    index = number
    while time.monotonic() < deadline:
        began = time.monotonic()
        before = browser.requests
        journey = Journey(began, began)
        try:
            journey.reference = one_order(
                browser,
                products[index % len(products)],
                csrf,
                three_d_secure=options.three_d_secure,
            )
        except (StepFailed, OSError) as error:
            journey.error = str(error)[:200]
        journey.ended = time.monotonic()
        journey.requests = browser.requests - before
        tally.add(journey)
        index += 1
    browser.close()
