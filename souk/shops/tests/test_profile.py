"""The shop's profile: trades of the registered sector only, languages, addresses."""

from __future__ import annotations

import pytest

from souk.core.models import AuditEntry
from souk.registry.models import Region, Trade
from souk.shops import services
from souk.shops.errors import InvalidShopDetails, NotShopManager, TradeOutsideSector
from souk.shops.models import Shop
from souk.shops.slugs import register_number_digest
from souk.shops.tests.factories import make_approved_shop, make_artisan, make_claimed_shop, owner_of

pytestmark = pytest.mark.django_db


def update(shop: Shop, **changes):
    values = {
        "display_name": shop.display_name,
        "story_ar": shop.story_ar,
        "story_fr": shop.story_fr,
        "story_en": shop.story_en,
        "story_es": shop.story_es,
        "workshop_city": shop.workshop_city,
        "region": shop.region,
        "languages_spoken": shop.languages_spoken,
        "trades": list(shop.trades.all()),
    }
    values.update(changes)
    actor = values.pop("actor", None) or owner_of(shop)
    return services.update_shop_profile(shop=shop, actor=actor, **values)


def test_the_registered_trade_stays_and_trades_of_the_same_sector_are_added():
    # given: a potter (S01-T01)
    shop = make_claimed_shop(trade_id="S01-T01")

    # when: they add glazed ceramics (S01-T04) and untick their registered trade
    update(shop, trades=[Trade.objects.get(code="S01-T04")], languages_spoken=["fr", "ber", "ar"])

    # then
    saved = Shop.objects.get(pk=shop.pk)
    assert sorted(saved.trades.values_list("code", flat=True)) == ["S01-T01", "S01-T04"]
    assert saved.languages_spoken == ["ar", "ber", "fr"]
    audit = AuditEntry.objects.get(action="shop.profile_updated")
    assert audit.data == {"fields": ["languages_spoken", "trades"]}


def test_a_trade_of_another_sector_is_refused_and_nothing_is_saved():
    shop = make_claimed_shop(trade_id="S01-T01")
    other_sector = Trade.objects.exclude(sector_id="S01").order_by("code").first()

    with pytest.raises(TradeOutsideSector):
        update(shop, trades=[other_sector], display_name="Poterie de Safi")

    saved = Shop.objects.get(pk=shop.pk)
    assert list(saved.trades.values_list("code", flat=True)) == ["S01-T01"]
    assert saved.display_name == shop.display_name
    assert not AuditEntry.objects.filter(action="shop.profile_updated").exists()


def test_profile_page_does_not_offer_trades_of_another_sector(client):
    shop = make_claimed_shop(trade_id="S01-T01")
    client.force_login(owner_of(shop))
    other_sector = Trade.objects.exclude(sector_id="S01").order_by("code").first()
    assert other_sector is not None

    response = client.post(
        f"/en/shops/manage/{shop.pk}/profile/",
        {"display_name": "Poterie", "region": "07", "trades": [other_sector.code]},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["trades"]
    assert Shop.objects.get(pk=shop.pk).display_name == shop.display_name


def test_an_unknown_language_is_refused():
    shop = make_claimed_shop()

    with pytest.raises(InvalidShopDetails) as refusal:
        update(shop, languages_spoken=["fr", "de"])

    assert str(refusal.value.message) == "Choose languages from the list."
    assert Shop.objects.get(pk=shop.pk).languages_spoken == []


def test_only_a_manager_changes_the_profile():
    shop = make_claimed_shop()

    with pytest.raises(NotShopManager):
        update(shop, actor=make_artisan(), display_name="Stolen")

    assert Shop.objects.get(pk=shop.pk).display_name == shop.display_name


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Coopérative Tafilalet", "cooperative-tafilalet"),
        ("فخار بناني", "fkhar-bnani"),
        ("الفَخَّار الأَزرق", "alfkhar-alazrq"),
    ],
)
def test_the_address_follows_the_name_transliterated_from_arabic(name, slug):
    shop = make_claimed_shop()

    update(shop, display_name=name)

    assert Shop.objects.get(pk=shop.pk).slug == slug


def test_a_name_with_nothing_to_spell_falls_back_to_a_keyed_hash_of_the_register_number():
    shop = make_claimed_shop()

    update(shop, display_name="★ ★ ★")

    digest = register_number_digest(shop.register_entry.register_number)
    assert Shop.objects.get(pk=shop.pk).slug == f"shop-{digest[:10]}"
    assert shop.register_entry.register_number.lower() not in digest


def test_two_shops_of_the_same_name_get_two_addresses():
    first, second = make_claimed_shop(), make_claimed_shop()

    update(first, display_name="Atelier Safi")
    update(second, display_name="Atelier Safi")

    digest = register_number_digest(second.register_entry.register_number)
    assert Shop.objects.get(pk=first.pk).slug == "atelier-safi"
    assert Shop.objects.get(pk=second.pk).slug == f"atelier-safi-{digest[:6]}"


def test_the_address_of_an_approved_shop_no_longer_moves():
    shop = make_approved_shop()
    address = shop.slug

    update(shop, display_name="A new name")

    assert Shop.objects.get(pk=shop.pk).slug == address


def test_profile_page_saves_the_profile(client):
    shop = make_claimed_shop(trade_id="S01-T01")
    client.force_login(owner_of(shop))

    response = client.post(
        f"/en/shops/manage/{shop.pk}/profile/",
        {
            "display_name": "Poterie Bennani",
            "story_fr": "Depuis trois générations.",
            "region": "03",
            "workshop_city": "Fès",
            "languages_spoken": ["ar", "fr"],
            "trades": ["S01-T01", "S01-T02"],
        },
    )

    assert response.status_code == 302
    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.display_name, saved.story_fr, saved.region, saved.workshop_city) == (
        "Poterie Bennani",
        "Depuis trois générations.",
        Region.objects.get(code="03"),
        "Fès",
    )
    assert saved.slug == "poterie-bennani"


@pytest.mark.parametrize("page", ["", "profile/", "payout/", "photos/", "documents/"])
def test_another_account_gets_a_404_on_every_page_of_a_shop(client, page):
    shop = make_claimed_shop()
    client.force_login(make_artisan())

    assert client.get(f"/en/shops/manage/{shop.pk}/{page}").status_code == 404


def test_manage_pages_ask_anonymous_visitors_to_log_in(client):
    shop = make_claimed_shop()

    response = client.get(f"/en/shops/manage/{shop.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/en/account/login/")
