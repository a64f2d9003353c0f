"""Fixtures shared by every test."""

from __future__ import annotations

import io
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from souk.accounts.two_factor import session as two_factor_session


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's 1,000,000 rounds are the point in production and only slow here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_tmp_path(settings, tmp_path):
    # Uploaded photos and KYC scans are real files: each test writes its own, never into var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _force_login_is_a_finished_login(monkeypatch):
    # `client.force_login` skips the password; it skips the second factor too, so that it still
    # means "signed in" for staff. Tests of the second factor log in over HTTP instead
    # (souk/accounts/tests/test_two_factor.py); `client.login` marks nothing.
    force_login = Client.force_login

    def force_login_and_verify(self: Client, user, backend=None):
        force_login(self, user, backend)
        store = self.session
        two_factor_session.mark_verified(store, user_id=user.pk)
        store.save()

    monkeypatch.setattr(Client, "force_login", force_login_and_verify)


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache outlives each test's database: nothing kept by one test is read by the next.
    cache.clear()
    yield
    cache.clear()


def _uses_database(request: pytest.FixtureRequest) -> bool:
    return bool(
        request.node.get_closest_marker("django_db")
        or {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _ledger_holds_after_each_test(request):
    """After every test that wrote to the ledger, every rule of `ledger_check` holds
    (souk.ledger.selectors.check_ledger): no test leaves money unbalanced, unbooked or stuck
    without failing. A test that breaks the ledger on purpose says so with
    @pytest.mark.ledger_left_broken."""
    if not _uses_database(request) or request.node.get_closest_marker("ledger_left_broken"):
        yield
        return
    # The database is set up inside this fixture, so that it is still there when this fixture
    # checks it, before the test's transaction is rolled back or its tables flushed.
    request.getfixturevalue("_django_db_helper")
    yield
    from souk.ledger.models import Transfer
    from souk.ledger.selectors import check_ledger

    if Transfer.objects.exists():
        violations = check_ledger()
        assert violations == [], "The ledger's rules are broken after this test: " + "; ".join(
            f"{v.rule}: {v.subject}: {v.detail}" for v in violations
        )


@pytest.fixture
def reference_data(transactional_db):
    """What the migrations load (sectors, trades, regions, commission rates, carriers and duty
    rates), for transactional tests: the flush after each of them empties every table."""
    call_command("load_nomenclature", stdout=io.StringIO())
    import_module("souk.orders.migrations.0002_default_rates").add_rates(apps, None)
    import_module("souk.shipping.migrations.0002_carriers").add_carriers(apps, None)


# Debian's chromium: Playwright's own browser download is not used (docs/architecture.md).
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Chromium driven by Playwright, for the browser tests (marker `browser`; each file skips
    itself where /usr/bin/chromium is missing)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM reads are
    # plain synchronous calls all the same (the documented switch for this case).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()
