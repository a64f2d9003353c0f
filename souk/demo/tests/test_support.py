"""The demo's support: advisor@souk.example has a portfolio, newcomers are stuck for weeks."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from souk.support.models import Advisor, Assignment, Progress

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_the_demo_advisor_a_portfolio_with_stuck_newcomers(client):
    call_command("seed_demo", stdout=io.StringIO())

    advisor = Advisor.objects.get(user__email="advisor@souk.example")
    assert Advisor.objects.filter(is_active=True).count() == 3
    assert Progress.objects.filter(advisor__isnull=True).count() == 0
    assert Progress.objects.filter(advisor=advisor).count() >= 10
    assert Assignment.objects.filter(ended_at__isnull=True).count() == Progress.objects.count()
    client.force_login(advisor.user)
    stuck = client.get("/fr/support/portfolio/?stuck=30").content.decode()
    assert stuck.count("/fr/support/portfolio/") >= 2
