"""Every moderator's decision on a shop or a listing reaches its artisan: in-app and by SMS,
in their language, with the reason and a link to what to fix."""

from __future__ import annotations

import pytest

from souk.catalog import services as catalog
from souk.catalog.tests.factories import make_draft_product
from souk.notifications import sms
from souk.notifications.models import Notification
from souk.shops import services
from souk.shops.tests.factories import complete_shop, make_claimed_shop, make_moderator, owner_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _texts_kept_in_memory(settings):
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SOUK_SITE_URL = "https://souk.example"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def shop_in_review(language: str):
    shop = complete_shop(make_claimed_shop())
    owner = owner_of(shop)
    owner.phone = "+212661234567"
    owner.preferred_language = language
    owner.save(update_fields=["phone", "preferred_language"])
    return services.submit_shop_for_review(shop=shop, actor=owner)


def test_changes_asked_for_a_shop_reach_its_artisan_in_arabic_with_the_reason_and_a_link(
    django_capture_on_commit_callbacks,
):
    shop = shop_in_review("ar")

    with django_capture_on_commit_callbacks(execute=True):
        services.request_shop_changes(
            shop=shop, moderator=make_moderator(), reason="صورة أوضح من فضلك"
        )

    notice = Notification.objects.get(recipient=owner_of(shop))
    assert notice.kind == "shop_decided"
    assert notice.url == f"/ar/shops/manage/{shop.pk}/"
    assert "صورة أوضح من فضلك" in notice.body
    assert shop.display_name in notice.subject
    assert [message.to for message in sms.outbox] == ["+212661234567"]
    assert f"https://souk.example/ar/shops/manage/{shop.pk}/" in sms.outbox[0].text
    assert sms.outbox[0].text.startswith("سوق")


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_each_decision_on_a_shop_is_told(action, django_capture_on_commit_callbacks):
    shop = shop_in_review("fr")

    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_shop(shop=shop, moderator=make_moderator(), action=action, reason="Vu.")

    notice = Notification.objects.get(recipient=owner_of(shop))
    assert (notice.kind, notice.url) == ("shop_decided", f"/fr/shops/manage/{shop.pk}/")
    assert len(sms.outbox) == 1


def test_a_piece_sent_back_reaches_its_artisan_with_the_reason_and_a_link_to_the_piece(
    django_capture_on_commit_callbacks,
):
    shop = shop_in_review("fr")
    product = make_draft_product(shop=shop)
    catalog.submit_product(product=product, actor=owner_of(shop))

    with django_capture_on_commit_callbacks(execute=True):
        catalog.moderate_product(
            product=product, moderator=make_moderator(), action="reject", reason="Prix à revoir."
        )

    notice = Notification.objects.get(recipient=owner_of(shop), kind="listing_decided")
    assert notice.url == f"/fr/products/manage/{shop.pk}/{product.pk}/"
    assert "Prix à revoir." in notice.body
    assert product.title_fr in notice.subject
    assert f"/fr/products/manage/{shop.pk}/{product.pk}/" in sms.outbox[-1].text
