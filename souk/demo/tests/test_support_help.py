"""The demo's help requests: advisor@souk.example's queue has requests open and answered."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from souk.support.help_models import HelpRequest

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_demo_advisor_open_help_requests(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    statuses = sorted(HelpRequest.objects.values_list("status", flat=True))
    assert statuses == ["closed", "closed", "confirmed", "open", "open", "open", "proposed"]
    emails = {r.advisor.user.email if r.advisor else "" for r in HelpRequest.objects.all()}
    assert emails == {"advisor@souk.example"}
    client.login(username="advisor@souk.example", password="souk-demo-2026")
    queue = client.get("/fr/support/help/queue/").content.decode()
    assert queue.count("/fr/support/help/queue/") >= 6
    client.login(username="analyst@souk.example", password="souk-demo-2026")
    times = client.get("/fr/support/help/times/").content.decode()
    assert 'data-label="Demandes">' in times
