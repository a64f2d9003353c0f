"""Support's pages through HTTP: the artisan's card and path, the advisor's portfolio (their
own only), the programme's funnel with its CSV, in the four languages."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from souk.accounts import services as accounts
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.support import services
from souk.support.models import Assignment, Progress
from souk.support.tests.factories import make_advisor, make_artisan_in, shop_of

pytestmark = pytest.mark.django_db

LANGUAGES = ["ar", "fr", "en", "es"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_artisan_sees_their_advisor_and_next_step_on_the_dashboard(client, language):
    # given a potter followed by an advisor
    advisor = make_advisor(full_name="Karima Idrissi")
    artisan = make_artisan_in()
    client.force_login(artisan)
    # when they open their shop's dashboard
    response = client.get(f"/{language}/shops/manage/{shop_of(artisan).pk}/")
    # then the card names the advisor, their phone, and one link to the next step
    body = response.content.decode()
    assert response.status_code == 200
    assert "Karima Idrissi" in body
    assert advisor.contact_phone in body
    names = {
        "ar": "العربية, الفرنسية",
        "fr": "Arabe, Français",
        "en": "Arabic, French",
        "es": "árabe, francés",
    }
    assert names[language] in body
    assert f'href="/{language}/sell/piece/"' in body  # no piece sent yet
    assert f'href="/{language}/support/"' in body


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_artisan_path_page_lists_the_milestones_with_dates(client, language):
    make_advisor(full_name="Karima Idrissi")
    artisan = make_artisan_in()
    client.force_login(artisan)
    response = client.get(f"/{language}/support/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Karima Idrissi" in body
    assert body.count("✓") == 2  # account and claim
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in body


def test_the_artisan_asks_for_another_advisor(client):
    first = make_advisor(full_name="Karima Idrissi")
    second = make_advisor(full_name="Youssef Amrani")
    artisan = make_artisan_in()
    client.force_login(artisan)
    response = client.post("/en/support/", {"note": "I prefer Tachelhit"})
    assert response.status_code == 302
    oldest = Assignment.objects.filter(artisan=artisan).order_by("pk").first()
    assert oldest is not None
    assert (oldest.advisor, oldest.ended_at is not None) == (first, True)
    current = Assignment.objects.get(artisan=artisan, ended_at__isnull=True)
    assert current.advisor == second
    assert current.note == "I prefer Tachelhit"
    assert "Youssef Amrani" in client.get("/en/support/").content.decode()


def test_someone_without_a_path_gets_no_support_page(client):
    client.force_login(make_user())
    assert client.get("/en/support/").status_code == 404


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_advisor_sees_their_portfolio_with_stage_and_days(client, language):
    advisor = make_advisor()
    artisans = [make_artisan_in(first_name_fr=f"Artisan{n}") for n in range(3)]
    client.force_login(advisor.user)
    response = client.get(f"/{language}/support/portfolio/")
    body = response.content.decode()
    assert response.status_code == 200
    for artisan in artisans:
        assert f"/{language}/support/portfolio/{artisan.pk}/" in body
    detail = client.get(f"/{language}/support/portfolio/{artisans[0].pk}/")
    assert detail.status_code == 200


def test_the_stuck_filter_keeps_those_without_a_step_for_n_days(client):
    advisor = make_advisor()
    stuck = make_artisan_in()
    moving = make_artisan_in()
    Progress.objects.filter(artisan=stuck).update(
        last_step_at=timezone.now() - datetime.timedelta(days=40)
    )
    client.force_login(advisor.user)
    body = client.get("/en/support/portfolio/?stuck=30").content.decode()
    assert f"/en/support/portfolio/{stuck.pk}/" in body
    assert f"/en/support/portfolio/{moving.pk}/" not in body
    assert client.get("/en/support/portfolio/?stuck=-3").status_code == 400


def test_an_advisor_never_sees_another_advisors_artisan(client):
    # given two advisors of different regions, each with an artisan
    mine = make_advisor(regions=["07"])
    other = make_advisor(regions=["03"])
    my_artisan = make_artisan_in(region="07")
    their_artisan = make_artisan_in(region="03")
    assert Progress.objects.get(artisan=their_artisan).advisor == other
    client.force_login(mine.user)
    # then the other's artisan is not found, nor listed, nor is an unknown id
    assert client.get(f"/en/support/portfolio/{their_artisan.pk}/").status_code == 404
    assert client.get("/en/support/portfolio/999999/").status_code == 404
    body = client.get("/en/support/portfolio/").content.decode()
    assert f"/en/support/portfolio/{my_artisan.pk}/" in body
    assert f"/en/support/portfolio/{their_artisan.pk}/" not in body


def test_an_artisan_moved_away_leaves_the_old_advisors_portfolio(client):
    first = make_advisor()
    make_advisor()
    artisan = make_artisan_in()
    services.release_advisor(advisor=first, actor=None)
    first.is_active = True
    first.save()
    client.force_login(first.user)
    assert client.get(f"/en/support/portfolio/{artisan.pk}/").status_code == 404


def test_portfolio_and_funnel_are_refused_to_others(client):
    artisan = make_artisan_in()
    client.force_login(artisan)
    assert client.get("/en/support/portfolio/").status_code == 403
    assert client.get("/en/support/funnel/").status_code == 403


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_funnel_counts_by_region_and_sector_and_exports_csv(client, language):
    make_advisor()
    make_artisan_in(region="07")
    make_artisan_in(region="07")
    make_artisan_in(region="03")
    services.recompute_all_progress()
    analyst = accounts.grant_role(user=make_user(), role=Role.ANALYST)
    client.force_login(analyst)
    response = client.get(f"/{language}/support/funnel/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body
    assert "<td>3</td>" in body  # three accounts overall
    only_07 = client.get(f"/{language}/support/funnel/?region=07").content.decode()
    assert "<td>2</td>" in only_07
    export = client.get(f"/{language}/support/funnel/?format=csv")
    assert export["Content-Type"].startswith("text/csv")
    header, *lines = list(csv.reader(io.StringIO(export.content.decode())))
    assert header[:6] == [
        "region_code",
        "region",
        "sector_code",
        "sector",
        "account",
        "register_claimed",
    ]
    rows = {line[0]: line for line in lines}
    assert rows["07"][4:6] == ["2", "2"]
    assert rows["03"][4:6] == ["1", "1"]
