"""Administrators define advisors in the back office and release one who leaves."""

from __future__ import annotations

import pytest

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.support.models import Advisor, Assignment, AssignmentReason
from souk.support.tests.factories import make_advisor, make_artisan_in

pytestmark = pytest.mark.django_db


def test_an_administrator_defines_an_advisor(client):
    admin = accounts.grant_role(user=make_user(), role=Role.ADMIN)
    person = accounts.grant_role(user=make_user(full_name="Samira Chraibi"), role=Role.ADVISOR)
    client.force_login(admin)
    assert client.get("/en/admin/support/advisor/add/").status_code == 200
    response = client.post(
        "/en/admin/support/advisor/add/",
        {
            "user": person.pk,
            "regions": ["01", "02"],
            "sectors": ["S01"],
            "capacity": 250,
            "languages": '["ar", "es"]',
            "contact_phone": "+212539000102",
            "contact_hours": "",
            "is_active": "on",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    advisor = Advisor.objects.get(user=person)
    assert sorted(advisor.regions.values_list("code", flat=True)) == ["01", "02"]
    assert advisor.capacity == 250
    # and a Tangier potter claiming now is theirs
    artisan = make_artisan_in(region="01")
    assert Assignment.objects.get(artisan=artisan).advisor == advisor


def test_the_leaving_action_spreads_the_portfolio(client):
    admin = accounts.grant_role(user=make_user(), role=Role.ADMIN)
    leaving = make_advisor()
    artisans = [make_artisan_in() for _ in range(2)]
    colleague = make_advisor()
    client.force_login(admin)
    listing = client.get("/en/admin/support/advisor/")
    assert listing.status_code == 200
    response = client.post(
        "/en/admin/support/advisor/",
        {"action": "release", "_selected_action": [leaving.pk]},
    )
    assert response.status_code == 302
    for artisan in artisans:
        current = Assignment.objects.get(artisan=artisan, ended_at__isnull=True)
        assert current.advisor == colleague
        assert current.start_reason == AssignmentReason.ADVISOR_LEFT
