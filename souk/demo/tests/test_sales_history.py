"""The demo's sales history: the demo artisan's money page shows 18 months of sales, at home
and abroad; every later stage of the path has demo artisans; running the seed twice adds
nothing."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from souk.accounts.models import User
from souk.ledger.models import JournalEntry, Payout, PayoutStatus
from souk.ledger.selectors import check_ledger
from souk.orders.models import Order
from souk.support.models import Milestone, Progress

pytestmark = pytest.mark.django_db

BAR = re.compile(r'height="([0-9.]+)" class="sales-chart__bar"')


def test_the_demo_artisan_has_18_months_of_sales_and_the_path_every_stage(client: Client) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Order.objects.count(), JournalEntry.objects.count(), Payout.objects.count())

    call_command("seed_demo", stdout=io.StringIO())

    assert (Order.objects.count(), JournalEntry.objects.count(), Payout.objects.count()) == counts
    assert check_ledger() == []
    artisan = User.objects.get(email="artisan@souk.example")
    client.force_login(artisan)
    html = client.get("/en/banking/").content.decode()
    months_with_sales = [height for height in BAR.findall(html) if float(height) > 0]
    assert len(months_with_sales) >= 18
    for country in ("France", "Spain", "United States"):
        assert country in html
    progress = Progress.objects.get(artisan=artisan)
    assert progress.first_payout_at is not None
    assert Payout.objects.filter(shop=progress.shop, status=PayoutStatus.PAID).count() >= 6
    stages = set(Progress.objects.values_list("stage", flat=True))
    for stage in (
        Milestone.FIRST_SALE,
        Milestone.FIRST_SALE_ABROAD,
        Milestone.FIRST_PAYOUT,
        Milestone.FIRST_REPEAT_BUYER,
        "done",
    ):
        assert stage in stages
    assert Progress.objects.count() >= 38
