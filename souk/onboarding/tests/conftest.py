"""The artisan's path through HTTP: SMS in sms.outbox, commit callbacks run."""

from __future__ import annotations

import pytest

from souk.notifications import sms


@pytest.fixture(autouse=True)
def _texts_kept_in_memory(settings):
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()
