"""The banking pages through HTTP: the artisan's money and offers in four languages, officers
kept to their own bank (404 on every other bank's URL), administrators approving offers."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from souk.accounts.tests.factories import make_user
from souk.banking import services
from souk.banking.models import Offer, OfferStatus
from souk.banking.tests.factories import (
    deliver_and_complete,
    make_administrator,
    make_bank,
    make_offer,
    make_officer,
    sell,
)
from souk.core.models import AuditEntry
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = pytest.mark.django_db

LANGUAGES = {"ar": "rtl", "fr": "ltr", "en": "ltr", "es": "ltr"}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_money_page_shows_the_chart_and_the_table_in_each_language(
    client: Client, language: str
) -> None:
    # given a shop with one completed sale abroad
    shop = make_approved_shop()
    order = sell(shop, country="FR")
    deliver_and_complete(order.sub_orders.get(), order.buyer)
    client.force_login(owner_of(shop))

    # when
    response = client.get(f"/{language}/banking/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert f'dir="{LANGUAGES[language]}"' in html
    assert html.count('class="sales-chart__bar"') == 24
    assert html.count('<th scope="row">') == 24 + 1  # 24 months and one country
    assert "100" in html  # all of its sales went abroad


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_offers_for_me_show_the_verdict_in_each_language(client: Client, language: str) -> None:
    bank = make_bank()
    make_offer(bank, title_fr="Compte Atelier", title_en="Workshop account", min_orders_12m=1)
    shop = make_approved_shop()
    client.force_login(owner_of(shop))

    response = client.get(f"/{language}/banking/offers/")

    assert response.status_code == 200
    html = response.content.decode()
    # the title in the page's language (the factory wrote it in Arabic and Spanish)
    titles = {"ar": "قرض صغير", "fr": "Compte Atelier", "en": "Workshop account"}
    assert titles.get(language, "Microcrédito de taller") in html
    if language == "en":
        assert "1 more order over the last 12 months" in html
    if language == "fr":
        assert "1 commande de plus sur les 12 derniers mois" in html


def test_an_offer_is_listed_as_qualified_once_the_shop_sells(client: Client) -> None:
    bank = make_bank()
    make_offer(bank, title_en="Workshop account", min_orders_12m=1)
    shop = make_approved_shop()
    sell(shop)
    client.force_login(owner_of(shop))

    html = client.get("/en/banking/offers/").content.decode()

    assert "You qualify." in html


def test_someone_who_manages_no_shop_gets_404(client: Client) -> None:
    client.force_login(make_user())
    assert client.get("/en/banking/").status_code == 404
    assert client.get("/en/banking/offers/").status_code == 404


def officer_urls(offer: Offer) -> list[tuple[str, str]]:
    return [
        ("get", "/en/banking/bank/offers/"),
        ("get", "/en/banking/bank/offers/new/"),
        ("get", f"/en/banking/bank/offers/{offer.pk}/"),
        ("post", f"/en/banking/bank/offers/{offer.pk}/"),
        ("post", f"/en/banking/bank/offers/{offer.pk}/submit/"),
        ("post", f"/en/banking/bank/offers/{offer.pk}/withdraw/"),
    ]


def test_an_officer_of_another_bank_gets_404_on_every_url_of_the_offer(client: Client) -> None:
    # given an offer of bank A and an officer of bank B
    offer = make_offer(make_bank("Banque A"), approved=False)
    client.force_login(make_officer(make_bank("Banque B")))

    # when / then: the offer's pages do not exist for them, and nothing changes
    for method, url in officer_urls(offer)[2:]:
        assert getattr(client, method)(url).status_code == 404, url
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DRAFT


def test_someone_who_is_no_officer_gets_404_on_every_officer_url(client: Client) -> None:
    offer = make_offer(make_bank(), approved=False)
    client.force_login(make_user())
    for method, url in officer_urls(offer):
        assert getattr(client, method)(url).status_code == 404, url


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": "micro_credit",
        "title_ar": "قرض الورشة",
        "title_fr": "Crédit atelier",
        "title_en": "Workshop credit",
        "title_es": "Crédito de taller",
        "description_fr": "Pour le four.",
        "valid_from": "2026-01-01",
        "max_amount": "20000.00",
        "annual_rate_percent": "9.50",
        "total_cost_amount": "1850.00",
        "min_months_selling": "6",
        "min_sales_12m_amount": "12000",
        "region_codes": ["07"],
    }
    data.update(changes)
    return data


def test_an_officer_writes_an_offer_in_four_languages_and_submits_it(client: Client) -> None:
    bank = make_bank()
    officer = make_officer(bank)
    client.force_login(officer)

    response = client.post("/fr/banking/bank/offers/new/", form_data())
    offer = Offer.objects.get()
    assert response.status_code == 302
    assert (offer.bank, offer.status, offer.title_ar) == (bank, OfferStatus.DRAFT, "قرض الورشة")
    assert (offer.max_amount, offer.min_sales_12m_amount, offer.total_cost_amount) == (
        2_000_000,
        1_200_000,
        185_000,
    )
    assert offer.region_codes == ["07"]

    client.post(f"/fr/banking/bank/offers/{offer.pk}/submit/")
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SUBMITTED
    assert AuditEntry.objects.filter(action="bank_offer.submit", actor=officer).exists()
    # a submitted offer is no longer edited
    assert (
        client.post(f"/fr/banking/bank/offers/{offer.pk}/", form_data(title_fr="X")).status_code
        == 409
    )
    assert Offer.objects.get(pk=offer.pk).title_fr == "Crédit atelier"


def test_a_bad_offer_form_changes_nothing_and_says_why(client: Client) -> None:
    client.force_login(make_officer(make_bank()))

    response = client.post(
        "/en/banking/bank/offers/new/",
        form_data(title_ar="", title_fr="", title_en="", title_es="", valid_until="2025-01-01"),
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the offer a title in at least one language." in html
    assert "The end of validity comes before its start." in html
    assert not Offer.objects.exists()


def test_an_administrator_approves_and_artisans_then_see_the_offer(client: Client) -> None:
    offer = make_offer(make_bank(), approved=False, title_en="Savings plan", kind="savings")
    officer = offer.bank.officers.get().user
    services.move_offer(offer=offer, action="submit", actor=officer)
    shop = make_approved_shop()
    artisan = Client()
    artisan.force_login(owner_of(shop))
    assert "Savings plan" not in artisan.get("/en/banking/offers/").content.decode()

    admin = make_administrator()
    client.force_login(admin)
    assert "Savings plan" in client.get("/en/banking/review/").content.decode()
    refused = client.post(f"/en/banking/review/{offer.pk}/", {"action": "refuse", "reason": ""})
    assert refused.status_code == 200
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.SUBMITTED

    client.post(f"/en/banking/review/{offer.pk}/", {"action": "approve"})

    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.APPROVED
    assert "Savings plan" in artisan.get("/en/banking/offers/").content.decode()


def test_an_officer_cannot_approve(client: Client) -> None:
    offer = make_offer(make_bank(), approved=False)
    client.force_login(offer.bank.officers.get().user)

    assert client.get("/en/banking/review/").status_code == 403
    assert client.post(f"/en/banking/review/{offer.pk}/", {"action": "approve"}).status_code == 403
    assert Offer.objects.get(pk=offer.pk).status == OfferStatus.DRAFT


def test_the_money_page_reads_the_same_queries_however_many_orders(client: Client) -> None:
    shop = make_approved_shop()
    client.force_login(owner_of(shop))
    sell(shop)
    client.get("/en/banking/")
    with CaptureQueriesContext(connection) as one_order:
        client.get("/en/banking/")
    sell(shop, country="US")
    sell(shop, country="FR")
    # The new sales' notices change the header (its unread count): kept again, as above.
    client.get("/en/banking/")

    with CaptureQueriesContext(connection) as three_orders:
        response = client.get("/en/banking/")

    assert response.status_code == 200
    assert len(three_orders.captured_queries) == len(one_order.captured_queries)
