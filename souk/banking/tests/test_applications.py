"""Applications and consent through HTTP and the services: only the lines shared reach the
officer, frozen at consent; withdrawal and expiry hide them at once; each reading is shown to
the artisan in their language; another bank's officer gets 404; every move says who and why;
the portfolio and its CSV."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from souk.accounts.models import User
from souk.banking import applications, errors
from souk.banking.application_models import Application, ApplicationStatus, DataView
from souk.banking.models import Offer, OfferKind
from souk.banking.tests.factories import make_bank, make_offer, make_officer, sell
from souk.core.machine import history
from souk.notifications.models import Notification
from souk.shops.models import Shop
from souk.shops.tests.factories import VALID_RIB, make_approved_shop, owner_of

pytestmark = pytest.mark.django_db

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


def _apply(client: Client, shop: Shop, offer: Offer, lines: list[str], **extra: str) -> Application:
    client.force_login(owner_of(shop))
    data = {"lines": lines, "days": "90", "agree": "on", "amount": "5000", **extra}
    response = client.post(f"/en/banking/offers/{offer.pk}/apply/?shop={shop.pk}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Application.objects.get(shop=shop, offer=offer)


@pytest.fixture
def setting() -> tuple[Shop, Offer, User]:
    bank = make_bank("Banque Atlas")
    officer = make_officer(bank, preferred_language="fr")
    offer = make_offer(bank, title_en="Workshop credit", max_amount=1_000_000)
    shop = make_approved_shop()
    sell(shop, price_amount=120_000)
    return shop, offer, officer


def test_the_officer_sees_only_the_lines_shared_as_they_were_at_consent(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, officer = setting
    application = _apply(client, shop, offer, ["figures"])
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.amount_requested == 500_000
    assert application.consent_expires_at - application.consent_given_at == datetime.timedelta(
        days=90
    )
    sell(shop, price_amount=700_000)  # after consent: not in the snapshot

    client.force_login(officer)
    html = client.get(f"/en/banking/bank/applications/{application.pk}/").content.decode()

    assert "Sales figures" in html
    assert "<dt>Sales over 24 months</dt><dd><bdi>MAD1,290.00</bdi>" in html  # 1,200 + shipping
    assert "8,380.00" not in html
    assert "7,090.00" not in html
    assert shop.register_entry.cin not in html
    assert VALID_RIB not in html
    assert "Identity and register data" not in html
    snapshot = Application.objects.get(pk=application.pk).snapshot
    assert set(snapshot) == {"taken_at", "figures"}


def test_identity_and_rib_reach_the_officer_when_ticked(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, officer = setting
    application = _apply(client, shop, offer, ["identity", "rib", "attestation"])

    client.force_login(officer)
    html = client.get(f"/en/banking/bank/applications/{application.pk}/").content.decode()

    assert shop.register_entry.cin in html
    assert shop.register_entry.register_number in html
    assert VALID_RIB in html
    assert application.attestation is not None
    assert application.attestation.code in html
    assert "Sales by month" not in html
    assert "Sales figures" not in html


def test_a_line_the_shop_cannot_share_and_an_empty_choice_change_nothing(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, _officer = setting
    client.force_login(owner_of(shop))
    url = f"/en/banking/offers/{offer.pk}/apply/?shop={shop.pk}"

    empty = client.post(url, {"days": "90", "agree": "on", "amount": "100"})
    too_long = client.post(url, {"lines": ["figures"], "days": "400", "agree": "on"})

    assert "Choose at least one line to share with the bank." in empty.content.decode()
    assert too_long.status_code == 200
    assert not Application.objects.exists()
    Shop.objects.filter(pk=shop.pk).update(payout_method="", payout_rib="")
    with pytest.raises(errors.LineNotAvailable):
        applications.apply(
            shop=Shop.objects.get(pk=shop.pk),
            user=owner_of(shop),
            offer=offer,
            lines=["rib"],
            days=90,
            amount=100,
        )


def test_the_consent_screen_states_purpose_recipient_duration_and_withdrawal(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, _officer = setting
    client.force_login(owner_of(shop))
    for language, words in {
        "en": ("Purpose", "Recipient", "Duration", "withdraw your consent", "09-08"),
        "fr": ("Finalité", "Destinataire", "Durée", "retirer votre consentement", "09-08"),
        "es": ("Finalidad", "Destinatario", "Duración", "retirar su consentimiento", "09-08"),
        "ar": ("الغرض", "المتلقي", "المدة", "سحب موافقتك", "09-08"),
    }.items():
        html = client.get(f"/{language}/banking/offers/{offer.pk}/apply/").content.decode()
        for word in words:
            assert word in html, (language, word)


def test_withdrawing_hides_everything_from_the_officer_at_once(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, officer = setting
    application = _apply(client, shop, offer, ["figures", "identity"])

    response = client.post(f"/en/banking/applications/{application.pk}/withdraw/")

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.snapshot == {}
    client.force_login(officer)
    html = client.get(f"/en/banking/bank/applications/{application.pk}/").content.decode()
    assert "withdrew their consent" in html
    assert shop.display_name not in html
    assert shop.register_entry.cin not in html
    assert "Sales figures" not in html
    queue = client.get("/en/banking/bank/applications/").content.decode()
    assert "Consent withdrawn" in queue
    assert shop.display_name not in queue
    assert not DataView.objects.exists()


def test_an_expired_consent_hides_the_data_and_blocks_approval(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, officer = setting
    application = _apply(client, shop, offer, ["figures"])
    applications.move_application(application=application, action="review", actor=officer)
    Application.objects.filter(pk=application.pk).update(
        consent_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    client.force_login(officer)
    html = client.get(f"/en/banking/bank/applications/{application.pk}/").content.decode()

    assert "consent has ended" in html
    assert "Sales figures" not in html
    with pytest.raises(errors.ConsentNotActive):
        applications.move_application(application=application, action="approve", actor=officer)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.UNDER_REVIEW
    # the nightly task then erases it; an application still in consent keeps its snapshot
    other = make_approved_shop()
    sell(other)
    kept = _apply(client, other, offer, ["figures"])
    assert applications.erase_expired_snapshots() == 1
    assert Application.objects.get(pk=application.pk).snapshot == {}
    assert "figures" in Application.objects.get(pk=kept.pk).snapshot


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "Banque Atlas viewed your sales on March 3"),
        ("fr", "Banque Atlas a consulté vos ventes le 3 mars"),
        ("es", "Banque Atlas consultó sus ventas el 3 de marzo"),
        ("ar", "اطّلع Banque Atlas على مبيعاتك في 3 مارس"),
    ],
)
def test_each_reading_is_shown_to_the_artisan_in_their_language(
    client: Client, setting: tuple[Shop, Offer, User], language: str, sentence: str
) -> None:
    shop, offer, officer = setting
    application = _apply(client, shop, offer, ["figures"])
    client.force_login(officer)
    client.get(f"/en/banking/bank/applications/{application.pk}/")
    [reading] = DataView.objects.filter(application=application)
    assert (reading.line, reading.viewer) == ("figures", officer)
    DataView.objects.update(viewed_at=datetime.datetime(2026, 3, 3, 10, 0, tzinfo=CASABLANCA))

    client.force_login(owner_of(shop))
    html = client.get(f"/{language}/banking/applications/{application.pk}/").content.decode()

    assert sentence in html


def test_another_banks_officer_gets_404_on_every_application_url(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, _officer = setting
    application = _apply(client, shop, offer, ["figures"])
    stranger = make_officer(make_bank("Banque Rif"))
    client.force_login(stranger)
    base = f"/en/banking/bank/applications/{application.pk}"

    gets = [client.get(f"{base}/")]
    posts = [
        client.post(f"{base}/{action}/", {"reason": "x"})
        for action in ("review", "request_info", "approve", "decline", "fund", "message")
    ]

    assert [r.status_code for r in gets + posts] == [404] * 7
    queue = client.get("/en/banking/bank/applications/").content.decode()
    assert f"#{application.pk}<" not in queue
    assert client.get("/en/banking/bank/portfolio.csv").content.decode().count("\n") == 1
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED
    assert not DataView.objects.exists()
    client.force_login(owner_of(make_approved_shop()))  # another artisan
    assert client.get(f"/en/banking/applications/{application.pk}/").status_code == 404
    assert client.post(f"/en/banking/applications/{application.pk}/withdraw/").status_code == 404


def test_every_move_records_who_and_why_and_tells_the_other_side(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, officer = setting
    artisan = owner_of(shop)
    User.objects.filter(pk=artisan.pk).update(preferred_language="fr")
    application = _apply(client, shop, offer, ["figures"])
    client.force_login(officer)
    base = f"/en/banking/bank/applications/{application.pk}"

    client.post(f"{base}/review/")
    refused = client.post(f"{base}/request_info/", {"reason": ""})
    client.post(f"{base}/request_info/", {"reason": "Which loom will you buy?"})
    client.force_login(artisan)
    client.post(f"/en/banking/applications/{application.pk}/message/", {"body": "A Jacquard loom."})
    client.force_login(officer)
    client.post(f"{base}/approve/")
    client.post(f"{base}/fund/", {"principal": "4000"})

    assert refused.status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FUNDED
    assert application.amount_funded == 400_000
    moves = [
        (m.action, m.to_status, m.actor_id, m.role, m.reason)
        for m in history(application, machine=applications.APPLICATION_MACHINE)
    ]
    assert moves == [
        ("submit", "submitted", artisan.pk, "artisan", ""),
        ("review", "under_review", officer.pk, "bank_officer", ""),
        ("request_info", "info_requested", officer.pk, "bank_officer", "Which loom will you buy?"),
        ("answer", "under_review", artisan.pk, "artisan", ""),
        ("approve", "approved", officer.pk, "bank_officer", ""),
        ("fund", "funded", officer.pk, "bank_officer", ""),
    ]
    told = Notification.objects.filter(recipient=artisan, kind="bank_application_artisan").order_by(
        "pk"
    )
    assert "Informations demandées" in told[1].subject
    assert "Which loom will you buy?" in told[1].body
    assert (
        Notification.objects.filter(recipient=officer, kind="bank_application_officer").count() == 2
    )
    client.force_login(artisan)
    page = client.get(f"/en/banking/applications/{application.pk}/").content.decode()
    assert "A Jacquard loom." in page
    assert "Which loom will you buy?" in page


def test_declining_needs_a_reason_and_funding_only_credit_and_advances(
    setting: tuple[Shop, Offer, User],
) -> None:
    shop, _offer, officer = setting
    account = make_offer(officer.bank_officer.bank, kind=OfferKind.ACCOUNT, title_en="Account")
    application = applications.apply(
        shop=shop, user=owner_of(shop), offer=account, lines=["figures"], days=30
    )
    assert application.amount_requested is None
    with pytest.raises(errors.ApplicationReasonRequired):
        applications.move_application(application=application, action="decline", actor=officer)
    applications.move_application(application=application, action="review", actor=officer)
    applications.move_application(application=application, action="approve", actor=officer)
    with pytest.raises(errors.FundingNotForThisOffer):
        applications.move_application(application=application, action="fund", actor=officer)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.APPROVED


def test_the_portfolio_counts_and_its_csv_lists_the_banks_applications(
    client: Client, setting: tuple[Shop, Offer, User]
) -> None:
    shop, offer, officer = setting
    first = _apply(client, shop, offer, ["figures"])
    for action in ("review", "approve"):
        applications.move_application(application=first, action=action, actor=officer)
    applications.move_application(
        application=first, action="fund", actor=officer, funding={"principal": 450_000}
    )
    other = make_approved_shop()
    sell(other)
    second = _apply(client, other, offer, ["figures"])
    applications.move_application(
        application=second, action="decline", actor=officer, reason="Too early."
    )
    third_shop = make_approved_shop()
    sell(third_shop)
    third = _apply(client, third_shop, offer, ["figures"])
    client.post(f"/en/banking/applications/{third.pk}/withdraw/")

    client.force_login(officer)
    page = client.get("/en/banking/bank/portfolio/").content.decode()
    response = client.get("/en/banking/bank/portfolio.csv")

    assert "50.0 %" in page  # one approved of two decided
    assert "4,500.00" in page
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [
        (r["application"], r["status"], r["amount_funded_mad"], r["consent"]) for r in rows
    ] == [
        (str(first.pk), "funded", "4500.00", "active"),
        (str(second.pk), "declined", "", "active"),
        (str(third.pk), "withdrawn", "", "withdrawn"),
    ]
    assert rows[0]["shop"] == shop.display_name
    assert rows[0]["amount_requested_mad"] == "5000.00"
    assert rows[2]["shop"] == ""  # consent withdrawn: the bank keeps the number only
