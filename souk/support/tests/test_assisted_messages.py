"""An advisor acting for an artisan answers the buyers' messages on the artisan's sales, and
nothing else on orders (issue #19, docs/support.md): the buyer sees the message came from the
shop and was written by its advisor, the artisan sees it in their record; asking in the app
tells the artisan in the app and by SMS."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from souk.accounts.models import User
from souk.catalog.tests.factories import make_active_product
from souk.core.models import AuditEntry
from souk.notifications import sms
from souk.notifications.models import Notification
from souk.orders import services as orders
from souk.orders.models import Order, OrderMessage, SubOrder, SubOrderStatus
from souk.orders.tests.factories import make_buyer, make_paid_order
from souk.shops.tests.factories import make_approved_shop, make_artisan, owner_of
from souk.support.assist_models import Assistance
from souk.support.models import Advisor
from souk.support.tests.factories import make_advisor, make_artisan_in
from souk.support.tests.test_assisted_mode import ask_and_allow_in_app, start_acting

pytestmark = pytest.mark.django_db

ANSWER = "Bonjour, le tajine part demain matin, bien emballé."


@pytest.fixture(autouse=True)
def _texts_kept_in_memory(settings):
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SOUK_SITE_URL = "https://souk.example"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def a_sale() -> tuple[Advisor, User, Order, SubOrder]:
    """An approved shop followed by an advisor, and a parcel a buyer paid for."""
    advisor = make_advisor(full_name="Karima Idrissi")
    shop = make_approved_shop()
    order = make_paid_order(
        buyer=make_buyer(full_name="Salma Alaoui"), products=[(make_active_product(shop=shop), 1)]
    )
    return advisor, owner_of(shop), order, order.sub_orders.get()


def test_an_acting_advisor_answers_a_buyer_who_sees_it_from_the_shop(client):
    advisor, artisan, order, parcel = a_sale()
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    # when the advisor opens the artisan's sales and the parcel, and writes to the buyer
    sales = client.get("/en/orders/sales/?tab=all")
    assert sales.status_code == 200
    assert parcel.reference in sales.content.decode()
    assert client.get(f"/en/orders/sales/{parcel.reference}/").status_code == 200
    response = client.post(f"/en/orders/sales/{parcel.reference}/message/", {"body": ANSWER})
    assert response.status_code == 302
    # then the message is the shop's, written by its advisor, and the log says so
    message = OrderMessage.objects.get(sub_order=parcel)
    assert message.author == artisan
    assert message.author_role == "artisan"
    assert message.assisted_by == advisor.user
    sent = AuditEntry.objects.get(action="orders.message_sent", target_id=str(message.pk))
    assert sent.actor == artisan
    assert sent.data["assisted_by"] == advisor.user.pk
    # the buyer reads it on their order, marked as written by the shop's advisor
    client.force_login(order.buyer)
    page = client.get(f"/en/orders/{order.reference}/").content.decode()
    assert ANSWER in page
    assert "written by the shop's advisor" in page
    # and the artisan sees it among what their advisor did for them
    client.force_login(artisan)
    record = client.get("/en/support/").content.decode()
    assert "answered a buyer&#x27;s message" in record
    assert "Karima Idrissi" in record


def test_a_message_the_artisan_writes_themselves_carries_no_mark(client):
    _advisor, artisan, order, parcel = a_sale()
    client.force_login(artisan)
    client.post(f"/en/orders/sales/{parcel.reference}/message/", {"body": ANSWER})
    assert OrderMessage.objects.get().assisted_by is None
    assert not AuditEntry.objects.filter(action="orders.message_sent").exists()
    client.force_login(order.buyer)
    page = client.get(f"/en/orders/{order.reference}/").content.decode()
    assert ANSWER in page
    assert "written by the shop's advisor" not in page


@pytest.mark.parametrize(
    ("method", "step"),
    [("post", "accept/"), ("post", "decline/"), ("post", "ship/"), ("get", "packing-slip.pdf")],
)
def test_the_steps_of_a_sale_stay_the_artisans(client, method, step):
    advisor, artisan, _order, parcel = a_sale()
    if step == "ship/":
        orders.accept_sub_order(sub_order=parcel, artisan=artisan)
    before = SubOrder.objects.get(pk=parcel.pk).status
    ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    # when the advisor tries a step of the sale for the artisan
    response = getattr(client, method)(f"/en/orders/sales/{parcel.reference}/{step}")
    # then it is refused with the reason, nothing moved, and the refusal is in the record
    assert response.status_code == 403
    assert "answer their buyers&#x27; messages" in response.content.decode()
    assert SubOrder.objects.get(pk=parcel.pk).status == before
    assert before in (SubOrderStatus.PAID, SubOrderStatus.ACCEPTED)
    refused = AuditEntry.objects.get(action="support.assisted_action", data__status=403)
    assert refused.actor == advisor.user


@pytest.mark.parametrize("how", ["withdrawn", "expired"])
def test_no_message_once_the_permission_ended(client, how):
    advisor, artisan, _order, parcel = a_sale()
    permission = ask_and_allow_in_app(client, advisor, artisan)
    start_acting(client, artisan)
    if how == "withdrawn":  # by the artisan on their phone, while the advisor is acting
        phone = Client()
        phone.force_login(artisan)
        assert phone.post(f"/en/support/assistance/{permission.pk}/withdraw/").status_code == 302
    else:
        Assistance.objects.filter(pk=permission.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    # when the advisor writes to the buyer
    response = client.post(f"/en/orders/sales/{parcel.reference}/message/", {"body": ANSWER})
    # then nothing is sent: the parcel is not theirs
    assert response.status_code == 404
    assert not OrderMessage.objects.exists()


def test_asking_in_the_app_tells_the_artisan_in_their_language(
    client, django_capture_on_commit_callbacks
):
    advisor = make_advisor(full_name="Karima Idrissi")
    artisan = make_artisan_in(owner=make_artisan(phone="+212612345670", preferred_language="fr"))
    client.force_login(advisor.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/en/support/portfolio/{artisan.pk}/assist/ask/", {"days": 5})
    assert response.status_code == 302
    # the artisan has a notice in the app, in French, leading to /support/
    notice = Notification.objects.get(recipient=artisan, kind="support_assistance_asked")
    assert "Karima Idrissi" in notice.body
    assert "répondre aux messages de vos acheteurs" in notice.body
    assert "5 jours" in notice.body
    assert notice.url == "/fr/support/"
    # and a text with the link to allow or refuse
    (text,) = sms.outbox
    assert text.to == "+212612345670"
    assert "Autorisez ou refusez" in text.text
    assert "https://souk.example/fr/support/" in text.text
