"""core.alerts: core's machinery tells the operators through handlers registered from above."""

from __future__ import annotations

import pytest

from souk.core import alerts


@pytest.fixture
def handlers(monkeypatch):
    registered: list[alerts.AlertHandler] = []
    monkeypatch.setattr(alerts, "_handlers", registered)
    return registered


def test_an_alert_reaches_every_handler_once_even_if_registered_twice(handlers):
    # given
    received: list[alerts.Alert] = []
    alerts.register_handler(received.append)
    alerts.register_handler(received.append)

    # when
    alerts.alert_operators(alerts.Alert(kind="job_failed", context={"job": "payouts"}))

    # then
    assert received == [alerts.Alert(kind="job_failed", context={"job": "payouts"})]


def test_an_alert_with_no_handler_is_logged(handlers, caplog):
    alerts.alert_operators(alerts.Alert(kind="job_failed"))

    assert "Alert job_failed with no handler" in caplog.text


def test_notifications_registers_the_operators_handler():
    from souk.notifications import services

    assert services.notify_operators in alerts._handlers
