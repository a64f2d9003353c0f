"""Notification tests: English pages, emails in the local-memory outbox, SMS in sms.outbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from souk.notifications import sms

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _messages_kept_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    settings.SOUK_SITE_URL = "https://souk.example"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run as soon as they are queued (after commit), instead of by the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def test_kinds(settings):
    """Adds the kinds under tests/templates/notifications/ (test_language) to the templates."""
    engines = [dict(engine) for engine in settings.TEMPLATES]
    engines[0]["DIRS"] = [*engines[0]["DIRS"], TEST_TEMPLATES]
    settings.TEMPLATES = engines
