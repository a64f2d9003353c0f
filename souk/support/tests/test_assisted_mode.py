"""Assisted mode through HTTP (docs/support.md): consent in the app or by an SMS code read to
the advisor, the advisor editing the shop for the artisan, the pages never open to them,
expiry and withdrawal, and the record the artisan sees."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.utils import timezone

from souk.accounts.models import User
from souk.core import delegation
from souk.core.models import AuditEntry
from souk.notifications import sms
from souk.shops import services as shop_services
from souk.shops.models import Shop
from souk.shops.tests.factories import make_artisan, make_claimed_shop
from souk.support.assist_models import Assistance, AssistanceStatus
from souk.support.middleware import SESSION_KEY
from souk.support.models import Advisor
from souk.support.tests.factories import make_advisor, make_artisan_in, shop_of

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db

NEW_STORY = "Des tajines tournés à la main à Safi, émaillés au plomb zéro."
RIB = "011780000012345678901274"


@pytest.fixture(autouse=True)
def _texts_kept_in_memory(settings):
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def profile_form(shop: Shop, **changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "display_name": shop.display_name,
        "story_fr": shop.story_fr,
        "region": shop.region_id,
        "workshop_city": shop.workshop_city,
        "languages_spoken": shop.languages_spoken,
        "trades": [trade.pk for trade in shop.trades.all()],
    }
    values.update(changes)
    return values


def ask_and_allow_in_app(client: Client, advisor: Advisor, artisan: User) -> Assistance:
    client.force_login(advisor.user)
    response = client.post(f"/en/support/portfolio/{artisan.pk}/assist/ask/", {"days": 7})
    assert response.status_code == 302
    asked = Assistance.objects.get(artisan=artisan)
    client.force_login(artisan)
    response = client.post(f"/en/support/assistance/{asked.pk}/allow/")
    assert response.status_code == 302
    client.force_login(advisor.user)
    return Assistance.objects.get(pk=asked.pk)


def code_in(text: str) -> str:
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None
    return found.group(1)


def start_acting(client: Client, artisan: User) -> _MonkeyPatchedWSGIResponse:
    return client.post(f"/en/support/portfolio/{artisan.pk}/assist/start/")


def test_consent_in_the_app_lets_the_advisor_edit_the_shop_and_the_artisan_sees_it(client):
    # given an artisan who allowed their advisor in the app
    advisor = make_advisor(full_name="Karima Idrissi")
    artisan = make_artisan_in(owner=make_artisan(full_name="Hassan Berrada"))
    shop = shop_of(artisan)
    client.force_login(advisor.user)
    assert start_acting(client, artisan).status_code == 403  # not allowed yet
    permission = ask_and_allow_in_app(client, advisor, artisan)
    assert permission.status == AssistanceStatus.ACTIVE
    assert permission.channel == "in_app"
    assert permission.expires_at is not None
    assert permission.consented_at is not None
    assert permission.expires_at - permission.consented_at == datetime.timedelta(days=7)
    # when the advisor acts for them and changes the story
    response = start_acting(client, artisan)
    assert response.status_code == 302
    assert response["Location"] == f"/en/shops/manage/{shop.pk}/"
    page = client.get(f"/en/shops/manage/{shop.pk}/")
    assert page.status_code == 200
    assert "You are acting for" in page.content.decode()
    assert "Hassan Berrada" in page.content.decode()
    response = client.post(
        f"/en/shops/manage/{shop.pk}/profile/", profile_form(shop, story_fr=NEW_STORY)
    )
    # then the shop changed, and the log says the advisor did it for the artisan
    assert response.status_code == 302
    assert Shop.objects.get(pk=shop.pk).story_fr == NEW_STORY
    done = AuditEntry.objects.get(action="support.assisted_action", data__method="POST")
    assert done.actor == advisor.user
    assert done.data["artisan"] == artisan.pk
    assert done.data["page"] == "shops:edit_profile"
    updated = AuditEntry.objects.get(action="shop.profile_updated")
    assert updated.data["assisted_by"] == advisor.user.pk
    assert updated.data["assistance"] == permission.pk
    # and the artisan reads it on their support page
    client.force_login(artisan)
    body = client.get("/en/support/").content.decode()
    assert "Karima Idrissi" in body
    assert "changed your shop&#x27;s profile" in body
    assert "started acting for you" in body


def test_consent_by_a_code_texted_to_the_artisan_and_read_to_the_advisor(
    client, django_capture_on_commit_callbacks
):
    # given an artisan with a phone number
    advisor = make_advisor(full_name="Karima Idrissi")
    artisan = make_artisan_in(owner=make_artisan(phone="+212612345678"))
    client.force_login(advisor.user)
    # when the advisor has a code texted, and types a wrong one, then the right one
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/support/portfolio/{artisan.pk}/assist/sms/", {"days": 3})
    assert response.status_code == 302
    (text,) = sms.outbox
    assert text.to == "+212612345678"
    assert "Karima Idrissi" in text.text
    code = code_in(text.text)
    wrong = "000000" if code != "000000" else "111111"
    client.post(f"/en/support/portfolio/{artisan.pk}/assist/confirm/", {"code": wrong})
    asked = Assistance.objects.get(artisan=artisan)
    assert asked.status == AssistanceStatus.ASKED
    assert asked.code_tries == 1
    assert start_acting(client, artisan).status_code == 403
    client.post(f"/en/support/portfolio/{artisan.pk}/assist/confirm/", {"code": code})
    # then the permission runs for the days asked, given by SMS code
    allowed = Assistance.objects.get(pk=asked.pk)
    assert allowed.status == AssistanceStatus.ACTIVE
    assert allowed.channel == "sms_code"
    assert allowed.expires_at is not None
    assert allowed.consented_at is not None
    assert allowed.expires_at - allowed.consented_at == datetime.timedelta(days=3)
    assert start_acting(client, artisan).status_code == 302


def test_a_code_is_void_after_fifteen_minutes(client, django_capture_on_commit_callbacks):
    advisor = make_advisor()
    artisan = make_artisan_in(owner=make_artisan(phone="+212612345679"))
    client.force_login(advisor.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/en/support/portfolio/{artisan.pk}/assist/sms/")
    code = code_in(sms.outbox[0].text)
    Assistance.objects.update(code_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    client.post(f"/en/support/portfolio/{artisan.pk}/assist/confirm/", {"code": code})
    assert Assistance.objects.get().status == AssistanceStatus.ASKED


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/en/shops/manage/{shop}/payout/", "Only the artisan can see or change where"),
        ("/en/shops/manage/{shop}/documents/", "Only the artisan and the moderators"),
        ("/en/earnings/", "Only the artisan can see their earnings"),
        ("/en/banking/offers/", "Only the artisan can look at the bank offers"),
        ("/en/banking/attestation/", "Only the artisan can look at the bank offers"),
        ("/en/account/", "you can only prepare their shop and their listings"),
    ],
)
def test_pages_never_open_to_an_advisor_acting_for_the_artisan(client, path, message):
    advisor = make_advisor()
    artisan = make_artisan_in()
    shop = shop_of(artisan)
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    # when the advisor opens a page that is the artisan's alone
    response = client.get(path.format(shop=shop.pk))
    # then it is refused with a message that says why, and the refusal is in the record
    assert response.status_code == 403
    assert message in response.content.decode()
    refused = AuditEntry.objects.get(action="support.assisted_action", data__status=403)
    assert refused.actor == advisor.user
    # while the artisan themselves still opens it
    client.force_login(artisan)
    assert client.get(path.format(shop=shop.pk)).status_code != 403


def test_the_payout_destination_cannot_be_changed_for_the_artisan(client):
    advisor = make_advisor()
    artisan = make_artisan_in()
    shop = shop_of(artisan)
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    # the page refuses the form
    response = client.post(f"/en/shops/manage/{shop.pk}/payout/", {"method": "rib", "rib": RIB})
    assert response.status_code == 403
    assert Shop.objects.get(pk=shop.pk).payout_rib == ""
    # and the service refuses it too, whoever calls it while someone acts for another
    who = delegation.Acting(advisor_id=advisor.user.pk, artisan_id=artisan.pk, assistance_id=1)
    with delegation.acting(who), pytest.raises(delegation.ForbiddenWhenAssisted):
        shop_services.set_payout_destination(shop=shop, actor=artisan, method="rib", rib=RIB)
    assert Shop.objects.get(pk=shop.pk).payout_rib == ""


def test_an_expired_permission_is_refused(client):
    advisor = make_advisor()
    artisan = make_artisan_in()
    shop = shop_of(artisan)
    permission = ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    # when the seven days are over
    Assistance.objects.filter(pk=permission.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    # then the advisor is themselves again: the artisan's pages are not theirs
    response = client.post(
        f"/en/shops/manage/{shop.pk}/profile/", profile_form(shop, story_fr=NEW_STORY)
    )
    assert response.status_code == 404
    assert Shop.objects.get(pk=shop.pk).story_fr != NEW_STORY
    assert SESSION_KEY not in client.session
    refused = start_acting(client, artisan)
    assert refused.status_code == 403
    assert "permission has ended, expired" in refused.content.decode()


def test_the_artisan_ends_it_and_the_advisor_is_refused_at_once(client):
    advisor = make_advisor()
    artisan = make_artisan_in()
    shop = shop_of(artisan)
    permission = ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    # when the artisan ends it from their support page
    client.force_login(artisan)
    response = client.post(f"/en/support/assistance/{permission.pk}/withdraw/")
    assert response.status_code == 302
    assert Assistance.objects.get(pk=permission.pk).status == AssistanceStatus.ENDED
    # then the advisor's session acts for nobody, and the permission cannot start again
    client.force_login(advisor.user)
    session = client.session
    session[SESSION_KEY] = artisan.pk
    session.save()
    response = client.post(
        f"/en/shops/manage/{shop.pk}/profile/", profile_form(shop, story_fr=NEW_STORY)
    )
    assert response.status_code == 404
    assert Shop.objects.get(pk=shop.pk).story_fr != NEW_STORY
    assert start_acting(client, artisan).status_code == 403


def test_the_banner_stops_acting_in_one_click(client):
    advisor = make_advisor()
    artisan = make_artisan_in()
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    response = client.post("/en/support/acting/stop/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/support/portfolio/{artisan.pk}/"
    assert SESSION_KEY not in client.session
    assert client.get(f"/en/shops/manage/{shop_of(artisan).pk}/").status_code == 404
    assert AuditEntry.objects.filter(action="support.acting_stopped").count() == 1


def test_another_advisors_artisan_cannot_be_asked(client):
    make_advisor(regions=("07",))
    stranger = make_advisor(regions=("01",), sectors=("S02",), capacity=0)
    artisan = make_artisan_in()
    client.force_login(stranger.user)
    response = client.post(f"/en/support/portfolio/{artisan.pk}/assist/ask/")
    assert response.status_code == 404
    assert not Assistance.objects.exists()


def test_the_artisan_refuses_and_nothing_is_allowed(client):
    advisor = make_advisor()
    artisan = make_artisan_in()
    client.force_login(advisor.user)
    client.post(f"/en/support/portfolio/{artisan.pk}/assist/ask/")
    asked = Assistance.objects.get()
    client.force_login(artisan)
    assert "asks to prepare your shop" in client.get("/en/support/").content.decode()
    client.post(f"/en/support/assistance/{asked.pk}/refuse/")
    assert Assistance.objects.get().status == AssistanceStatus.REFUSED
    client.force_login(advisor.user)
    assert start_acting(client, artisan).status_code == 403


def test_someone_elses_shop_stays_closed_while_acting(client):
    advisor = make_advisor()
    artisan = make_artisan_in()
    other = make_claimed_shop(region_id="07", trade_id="S01-T01")
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    assert client.get(f"/en/shops/manage/{other.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("language", "banner", "refusal"),
    [
        ("fr", "Vous agissez pour", "Seul l&#x27;artisan peut voir ou changer où ses gains"),
        ("es", "Está actuando por", "Solo el artesano puede ver o cambiar dónde"),
        ("ar", "أنت تتصرف نيابة عن", "الحرفي وحده يستطيع رؤية أو تغيير الحساب"),
    ],
)
def test_the_banner_and_refusals_speak_the_pages_language(client, language, banner, refusal):
    advisor = make_advisor()
    artisan = make_artisan_in()
    shop = shop_of(artisan)
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    page = client.get(f"/{language}/shops/manage/{shop.pk}/").content.decode()
    assert banner in page
    refused = client.get(f"/{language}/shops/manage/{shop.pk}/payout/")
    assert refused.status_code == 403
    assert refusal in refused.content.decode()
