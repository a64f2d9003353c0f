"""Payout destination: a RIB with its key checked, or a Moroccan mobile wallet; private."""

from __future__ import annotations

import pytest
from django.db import connection

from souk.core.models import AuditEntry
from souk.shops import services
from souk.shops.errors import InvalidPayoutDestination
from souk.shops.models import PayoutMethod, Shop
from souk.shops.tests.factories import (
    VALID_RIB,
    confirm_password,
    make_approved_shop,
    make_artisan,
    make_claimed_shop,
    owner_of,
)
from souk.shops.validators import normalize_rib

pytestmark = pytest.mark.django_db


def payout_audit_count() -> int:
    return AuditEntry.objects.filter(action="shop.payout_destination_set").count()


@pytest.mark.parametrize(
    "written",
    [
        "011519000001205000534921",
        "011 519 0000012050005349 21",
        "011-519-0000012050005349-21",
        " 0115 1900 0001 2050 0053 4921 ",
    ],
)
def test_a_rib_whose_key_matches_is_stored_as_its_24_digits(written):
    shop = make_claimed_shop()

    saved = services.set_payout_destination(
        shop=shop, actor=owner_of(shop), method=PayoutMethod.RIB, rib=written
    )

    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.payout_method, saved.payout_rib, saved.payout_wallet_phone) == (
        "rib",
        VALID_RIB,
        "",
    )
    audit = AuditEntry.objects.get(action="shop.payout_destination_set")
    assert audit.data == {"method": "rib", "ending": "4921"}


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("011519000001205000534922", "This RIB's key does not match: check the 24 digits."),
        ("01151900000120500053492", "A RIB has 24 digits; this one has 23 digits."),
        ("0115190000012050005349212", "A RIB has 24 digits; this one has 25 digits."),
        (
            "01151900000120500053492A",
            "A RIB is made of digits only: remove the letters and other signs.",
        ),
        ("000000000000000000000000", "This RIB's key does not match: check the 24 digits."),
    ],
)
def test_a_wrong_rib_is_refused_with_a_clear_message_and_nothing_is_saved(written, message):
    # given: a shop whose payout destination is a wallet
    shop = make_claimed_shop()
    services.set_payout_destination(
        shop=shop, actor=owner_of(shop), method=PayoutMethod.WALLET, wallet_phone="0612345678"
    )

    # when
    with pytest.raises(InvalidPayoutDestination) as refusal:
        services.set_payout_destination(
            shop=shop, actor=owner_of(shop), method=PayoutMethod.RIB, rib=written
        )

    # then
    assert str(refusal.value.message) == message
    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.payout_method, saved.payout_rib, saved.payout_wallet_phone) == (
        "wallet",
        "",
        "+212612345678",
    )
    assert payout_audit_count() == 1


def test_the_rib_key_is_the_mod_97_rule_of_the_reference():
    assert int(VALID_RIB) % 97 == 0
    assert normalize_rib("011 519 0000012050005349 21") == VALID_RIB


@pytest.mark.parametrize(
    ("written", "stored"),
    [("06 12 34 56 78", "+212612345678"), ("+212 7 01 02 03 04", "+212701020304")],
)
def test_a_wallet_on_a_moroccan_mobile_number_is_stored_in_international_form(written, stored):
    shop = make_claimed_shop()

    services.set_payout_destination(
        shop=shop, actor=owner_of(shop), method=PayoutMethod.WALLET, wallet_phone=written
    )

    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.payout_method, saved.payout_rib, saved.payout_wallet_phone) == (
        "wallet",
        "",
        stored,
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "05 22 12 34 56",
            "A mobile wallet needs a Moroccan mobile number, starting with 06 or 07.",
        ),
        (
            "+33 6 12 34 56 78",
            "A mobile wallet needs a Moroccan mobile number, starting with 06 or 07.",
        ),
        ("12", "Enter a valid phone number."),
    ],
)
def test_a_wallet_number_that_is_not_a_moroccan_mobile_is_refused(written, message):
    shop = make_claimed_shop()

    with pytest.raises(InvalidPayoutDestination) as refusal:
        services.set_payout_destination(
            shop=shop, actor=owner_of(shop), method=PayoutMethod.WALLET, wallet_phone=written
        )

    assert str(refusal.value.message) == message
    saved = Shop.objects.get(pk=shop.pk)
    assert (saved.payout_method, saved.payout_wallet_phone) == ("", "")
    assert payout_audit_count() == 0


def test_payout_page_shows_the_error_beside_the_field_and_saves_nothing(client):
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))
    confirm_password(client)

    response = client.post(
        f"/en/shops/manage/{shop.pk}/payout/", {"method": "rib", "rib": "011519000001205000534922"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "rib": ["This RIB's key does not match: check the 24 digits."]
    }
    assert Shop.objects.get(pk=shop.pk).payout_rib == ""


def test_payout_page_saves_a_good_rib(client):
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))
    confirm_password(client)

    response = client.post(
        f"/en/shops/manage/{shop.pk}/payout/",
        {"method": "rib", "rib": "011 519 0000012050005349 21"},
    )

    assert response.status_code == 302
    assert Shop.objects.get(pk=shop.pk).payout_rib == VALID_RIB


def test_payout_destination_is_shown_to_nobody_but_managers_and_moderators(client):
    # given: an approved shop paid by RIB
    shop = make_approved_shop()

    # then: the public page never shows it, nor does another artisan get the payout page
    public = client.get(f"/fr/shops/{shop.slug}/").content.decode()
    assert VALID_RIB not in public
    assert "4921" not in public
    client.force_login(make_artisan())
    confirm_password(client)
    assert client.get(f"/fr/shops/manage/{shop.pk}/payout/").status_code == 404
    client.force_login(owner_of(shop))
    confirm_password(client)
    assert VALID_RIB in client.get(f"/fr/shops/manage/{shop.pk}/payout/").content.decode()


def test_a_saved_rib_is_stored_encrypted_and_shown_to_its_manager(client):
    # given
    shop = make_claimed_shop()
    client.force_login(owner_of(shop))
    confirm_password(client)
    # when
    response = client.post(
        f"/en/shops/manage/{shop.pk}/payout/", {"method": "rib", "rib": VALID_RIB}
    )
    # then
    with connection.cursor() as cursor:
        cursor.execute("SELECT payout_rib FROM shops_shop WHERE id = %s", [shop.pk])
        (stored,) = cursor.fetchone()
    assert response.status_code == 302
    assert stored.startswith("gAAAAA")
    assert VALID_RIB not in stored
    assert Shop.objects.get(pk=shop.pk).payout_rib == VALID_RIB
    assert VALID_RIB in client.get(f"/en/shops/manage/{shop.pk}/payout/").content.decode()
