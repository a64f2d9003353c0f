"""Public pages: only approved shops, in the visitor's language, never private data."""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime

from souk.accounts.tests.factories import make_user
from souk.registry.models import Trade
from souk.shops import identity, services
from souk.shops.models import Shop
from souk.shops.selectors import get_shown_story
from souk.shops.tests.factories import (
    VALID_RIB,
    add_member,
    complete_shop,
    jpeg_bytes,
    make_approved_shop,
    make_claimed_shop,
    make_moderator,
    owner_of,
    upload,
)

pytestmark = pytest.mark.django_db


def test_a_draft_a_pending_and_a_suspended_shop_are_not_public(client):
    draft = make_claimed_shop()
    pending = complete_shop(make_claimed_shop())
    services.submit_shop_for_review(shop=pending, actor=owner_of(pending))
    suspended = make_approved_shop()
    services.suspend_shop(shop=suspended, moderator=make_moderator(), reason="Checks.")

    for shop in (draft, pending, suspended):
        assert client.get(f"/fr/shops/{shop.slug}/").status_code == 404
    assert list(client.get("/fr/shops/").context["page"].object_list) == []


def test_the_shop_page_in_arabic_is_right_to_left_with_arabic_names(client):
    # given: an approved potter (S01-T01) of region 07, with a photo
    shop = make_approved_shop(register_number="RNA-0012345", trade_id="S01-T01", region_id="07")
    photo = services.add_shop_photo(
        shop=shop, actor=owner_of(shop), upload=upload("a.jpg", jpeg_bytes()), alt_text="الفرن"
    )
    trade = Trade.objects.select_related("sector").get(code="S01-T01")

    # when
    response = client.get(f"/ar/shops/{shop.slug}/")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert trade.name_ar in html
    assert trade.sector.name_ar in html
    assert shop.region.name_ar in html
    assert trade.name_fr not in html
    assert '<bdi dir="ltr">••••••••345</bdi>' in html
    assert "RNA-0012345" not in html
    with translation.override("ar"):
        badge = translation.gettext("Registered artisan")
    assert f'<span class="badge badge--verified">{badge}</span>' in html
    assert (
        f'<img src="/media/{photo.image.name}" width="800" height="600" loading="lazy" '
        f'decoding="async" alt="الفرن">'
    ) in html


def test_the_shop_page_in_french_has_french_names_and_the_member_since_date(client):
    shop = make_approved_shop(trade_id="S07-T01")
    trade = Trade.objects.select_related("sector").get(code="S07-T01")

    html = client.get(f"/fr/shops/{shop.slug}/").content.decode()

    assert '<html lang="fr" dir="ltr">' in html
    assert trade.name_fr in html
    assert trade.sector.name_fr in html
    assert shop.region.name_fr in html
    assert shop.approved_at is not None
    with translation.override("fr"):
        since = translation.gettext("On Souk since")
        expected = date_format(localtime(shop.approved_at), "F Y")
    assert f"<dt>{since}</dt><dd>{expected}</dd>" in html


def test_a_story_missing_in_the_visitors_language_is_shown_in_another_with_a_note(client):
    # given: a story in French only
    shop = make_approved_shop()

    # when
    english = client.get(f"/en/shops/{shop.slug}/").content.decode()
    french = client.get(f"/fr/shops/{shop.slug}/").content.decode()

    # then
    story = '<div class="story" lang="fr" dir="ltr"><p>Un atelier de poterie à Safi.</p></div>'
    assert story in english
    assert story in french
    assert "Shown in French: this story is not written in your language yet." in english
    assert 'class="note"' not in french


def test_an_arabic_story_read_from_a_spanish_page_is_right_to_left():
    shop = complete_shop(make_claimed_shop(), story_fr="")
    services.update_shop_profile(
        shop=shop,
        actor=owner_of(shop),
        display_name=shop.display_name,
        story_ar="ورشة فخار في آسفي.",
        story_fr="",
        story_en="",
        story_es="",
        workshop_city="",
        region=shop.region,
        languages_spoken=[],
        trades=[],
    )
    with translation.override("es"):
        story = get_shown_story(Shop.objects.get(pk=shop.pk))

    assert (story.text, story.language, story.direction, story.is_in_visitor_language) == (
        "ورشة فخار في آسفي.",
        "ar",
        "rtl",
        False,
    )


def test_the_public_page_shows_no_payout_destination_nor_cin(client):
    shop = make_approved_shop(cin="BE123456")

    html = client.get(f"/fr/shops/{shop.slug}/").content.decode()

    assert VALID_RIB not in html
    assert "BE123456" not in html
    assert shop.register_entry.register_number not in html


def test_a_cooperative_page_lists_its_members(client):
    shop = make_approved_shop(cooperative=True)
    owner = owner_of(shop)
    add_member(shop, make_user(email="itto@souk.example", full_name="Itto Oubella"))

    html = client.get(f"/fr/shops/{shop.slug}/").content.decode()

    members = re.search(r'<ul class="member-list">(.*?)</ul>', html, re.S)
    assert members is not None
    assert re.findall(r"<li>(.*?)</li>", members.group(1)) == [owner.full_name, "Itto Oubella"]


def test_the_index_lists_approved_shops_by_name_a_page_at_a_time(client, django_assert_num_queries):
    # given: 25 approved shops, each with a photo, and one draft
    moderator = make_moderator()
    for number in range(25):
        shop = make_approved_shop(moderator=moderator)
        services.update_shop_profile(
            shop=shop,
            actor=owner_of(shop),
            display_name=f"Atelier {number:02d}",
            story_ar="",
            story_fr="Histoire.",
            story_en="",
            story_es="",
            workshop_city="",
            region=shop.region,
            languages_spoken=[],
            trades=[],
        )
        # An approved shop's new name is public once a moderator approves it.
        identity.approve_identity_change(shop=shop, moderator=moderator)
    services.add_shop_photo(
        shop=shop, actor=owner_of(shop), upload=upload("a.jpg", jpeg_bytes(40, 30))
    )
    make_claimed_shop()

    # when: a page costs three queries (count, shops, their photos) however many it shows
    with django_assert_num_queries(3):
        first = client.get("/en/shops/")
    second = client.get("/en/shops/?page=2")

    # then
    names = [shop.display_name for shop in first.context["page"].object_list]
    assert names == [f"Atelier {number:02d}" for number in range(24)]
    assert [shop.display_name for shop in second.context["page"].object_list] == ["Atelier 24"]
    assert 'rel="next"' in first.content.decode()
