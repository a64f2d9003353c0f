"""Claiming a register entry: the pair must match an active entry, one account per entry, one
entry per account, the same answer for every wrong pair, and a throttle on guessing."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone, translation

from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core.models import AuditEntry
from souk.registry import services
from souk.registry.errors import (
    AccountAlreadyLinked,
    ClaimDetailsDoNotMatch,
    ClaimRefused,
    ClaimsThrottled,
    EntryAlreadyClaimed,
)
from souk.registry.models import ClaimAttempt, EntryStatus, RegisterEntry
from souk.registry.tests.factories import make_register_entry
from souk.shops.models import MemberRole, Shop, ShopMember, ShopStatus

pytestmark = pytest.mark.django_db

CLAIM_URL = "/en/sell/"
GENERIC_REFUSAL = "These details do not match an active register entry."


@pytest.fixture(autouse=True)
def _english():
    # Messages are compared with their English source, whatever the catalogues hold; outside a
    # request the active language would be French (LANGUAGE_CODE).
    with translation.override("en"):
        yield


def claim(
    user: User, entry_or_number: RegisterEntry | str, cin: str, ip: str = "192.0.2.10"
) -> RegisterEntry:
    number = (
        entry_or_number.register_number
        if isinstance(entry_or_number, RegisterEntry)
        else entry_or_number
    )
    return services.claim_register_entry(user=user, register_number=number, cin=cin, ip_address=ip)


def assert_unclaimed(entry: RegisterEntry) -> None:
    entry.refresh_from_db()
    assert (entry.claimed_by_id, entry.claimed_at) == (None, None)
    assert not Shop.objects.filter(register_entry=entry).exists()


def test_claim_links_the_account_grants_the_artisan_role_audits_and_opens_a_draft_shop():
    # given: someone who signed up as a buyer, and their register entry
    user = make_user(full_name="Fatima Bennani")
    entry = make_register_entry(cin="BE123456")

    # when
    claimed = claim(user, entry, "BE123456", ip="192.0.2.7")

    # then
    entry.refresh_from_db()
    assert claimed == entry
    assert entry.claimed_by == user
    assert entry.claimed_at is not None
    assert user.roles == [Role.ARTISAN]
    audit = AuditEntry.objects.get(action="registry.entry_claimed")
    assert (audit.actor, audit.target_type, audit.target_id) == (
        user,
        "registry.registerentry",
        str(entry.pk),
    )
    assert audit.data == {"ip_address": "192.0.2.7"}
    shop = Shop.objects.get(register_entry=entry)
    assert shop.status == ShopStatus.DRAFT
    assert shop.display_name == "Fatima Bennani"
    assert shop.region_id == entry.region_id
    assert list(shop.trades.values_list("code", flat=True)) == [entry.trade_id]
    assert list(ShopMember.objects.values_list("shop", "user", "role")) == [
        (shop.pk, user.pk, MemberRole.MANAGER.value)
    ]
    assert list(ClaimAttempt.objects.values_list("user", "register_number", "succeeded")) == [
        (user.pk, entry.register_number, True)
    ]


def test_the_cin_and_the_number_are_read_as_people_type_them():
    user = make_user()
    entry = make_register_entry(register_number="RNA-0001234", cin="BE123456")

    claim(user, " RNA-000 1234 ", " be 123 ٤٥٦ ")

    entry.refresh_from_db()
    assert entry.claimed_by == user


def test_wrong_cin_and_unknown_number_get_the_same_answer_and_change_nothing():
    # given
    user = make_user()
    entry = make_register_entry(cin="BE123456")

    # when
    with pytest.raises(ClaimDetailsDoNotMatch) as wrong_cin:
        claim(user, entry, "BE654321")
    with pytest.raises(ClaimDetailsDoNotMatch) as unknown_number:
        claim(user, "RNA-9999999", "BE123456")

    # then
    assert str(wrong_cin.value.message) == str(unknown_number.value.message) == GENERIC_REFUSAL
    assert wrong_cin.value.http_status == unknown_number.value.http_status == 400
    assert_unclaimed(entry)
    assert not user.has_role(Role.ARTISAN)
    assert not AuditEntry.objects.exists()
    assert list(ClaimAttempt.objects.values_list("register_number", "succeeded")) == [
        (entry.register_number, False),
        ("RNA-9999999", False),
    ]


@pytest.mark.parametrize(
    "status", [EntryStatus.SUSPENDED, EntryStatus.STRUCK_OFF, EntryStatus.INACTIVE]
)
def test_an_entry_that_is_not_active_gets_the_same_answer(status):
    user = make_user()
    entry = make_register_entry(cin="BE123456", status=status)

    with pytest.raises(ClaimDetailsDoNotMatch) as refusal:
        claim(user, entry, "BE123456")

    assert str(refusal.value.message) == GENERIC_REFUSAL
    assert_unclaimed(entry)
    assert not AuditEntry.objects.exists()


def test_an_entry_without_a_cin_on_file_cannot_be_claimed_online():
    entry = make_register_entry(cooperative=True, cin="")

    with pytest.raises(ClaimDetailsDoNotMatch):
        claim(make_user(), entry, "")

    assert_unclaimed(entry)


def test_a_second_account_cannot_claim_an_entry_already_claimed():
    # given
    first, second = make_user(), make_user()
    entry = make_register_entry(cin="BE123456")
    claim(first, entry, "BE123456")

    # when
    with pytest.raises(EntryAlreadyClaimed) as refusal:
        claim(second, entry, "BE123456")

    # then
    assert str(refusal.value.message) == (
        "This entry is already linked to another account. Contact support."
    )
    assert refusal.value.http_status == 409
    entry.refresh_from_db()
    assert entry.claimed_by == first
    assert not second.has_role(Role.ARTISAN)
    assert ShopMember.objects.filter(user=second).count() == 0
    assert AuditEntry.objects.filter(action="registry.entry_claimed").count() == 1


def test_a_claimed_entry_with_a_wrong_cin_gets_the_generic_answer():
    # Saying "already linked" needs the right CIN, or it would confirm that a number exists.
    entry = make_register_entry(cin="BE123456")
    claim(make_user(), entry, "BE123456")

    with pytest.raises(ClaimDetailsDoNotMatch):
        claim(make_user(), entry, "BE000000")


def test_one_account_cannot_claim_two_entries():
    # given
    user = make_user()
    first = make_register_entry(cin="BE123456")
    second = make_register_entry(cin="BE654321")
    claim(user, first, "BE123456")

    # when
    with pytest.raises(AccountAlreadyLinked):
        claim(user, second, "BE654321")

    # then
    assert_unclaimed(second)
    first.refresh_from_db()
    assert first.claimed_by == user
    assert Shop.objects.count() == 1


def test_five_failures_in_an_hour_shut_the_door_even_for_the_right_pair():
    # given: five wrong guesses
    user = make_user()
    entry = make_register_entry(cin="BE123456")
    for guess in range(5):
        with pytest.raises(ClaimDetailsDoNotMatch):
            claim(user, entry, f"BE00000{guess}")
    first_failure_at = ClaimAttempt.objects.order_by("at").values_list("at", flat=True)[0]

    # when: the right pair, at once
    with pytest.raises(ClaimsThrottled) as refusal:
        claim(user, entry, "BE123456")

    # then: refused without looking at the pair, with the time to come back
    assert refusal.value.http_status == 429
    assert refusal.value.retry_at == first_failure_at + timedelta(hours=1)
    local = timezone.localtime(refusal.value.retry_at)
    assert str(refusal.value.message) == (
        f"Too many unsuccessful attempts. For your security, try again after {local:%H:%M}."
    )
    assert_unclaimed(entry)
    assert ClaimAttempt.objects.filter(user=user, succeeded=False).count() == 6


def test_the_throttle_reopens_once_the_failures_are_an_hour_old():
    # given: five failures, all over an hour ago
    user = make_user()
    entry = make_register_entry(cin="BE123456")
    long_ago = timezone.now() - timedelta(hours=1, minutes=1)
    ClaimAttempt.objects.bulk_create(
        ClaimAttempt(user=user, register_number="X", succeeded=False, at=long_ago) for _ in range(5)
    )

    # when
    claim(user, entry, "BE123456")

    # then
    entry.refresh_from_db()
    assert entry.claimed_by == user


def test_twenty_failures_from_one_address_shut_it_for_every_account():
    # given: four accounts, five failures each, from the same address
    entry = make_register_entry(cin="BE123456")
    for _ in range(4):
        guesser = make_user()
        for guess in range(5):
            with pytest.raises(ClaimDetailsDoNotMatch):
                claim(guesser, entry, f"BE11111{guess}", ip="198.51.100.4")
    newcomer = make_user()

    # when / then: a fresh account from that address is refused, from another it is not
    with pytest.raises(ClaimsThrottled):
        claim(newcomer, entry, "BE123456", ip="198.51.100.4")
    assert_unclaimed(entry)
    claim(newcomer, entry, "BE123456", ip="198.51.100.5")
    entry.refresh_from_db()
    assert entry.claimed_by == newcomer


def test_claim_page_asks_anonymous_visitors_for_a_phone_and_a_password_too(client):
    response = client.get(CLAIM_URL)

    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["phone", "password", "register_number", "cin"]


def test_claim_page_links_the_entry_and_leads_to_the_shop(client):
    # given
    user = make_user()
    entry = make_register_entry(cin="BE123456")
    client.force_login(user)

    # when
    response = client.post(
        CLAIM_URL,
        {"register_number": entry.register_number, "cin": "be123456"},
        REMOTE_ADDR="203.0.113.9",
    )

    # then: the shop waits for review and the artisan goes on to a first piece
    shop = Shop.objects.get(register_entry=entry)
    assert response.status_code == 302
    assert response["Location"] == "/en/sell/piece/"
    assert shop.status == ShopStatus.PENDING_REVIEW
    assert client.get("/en/shops/mine/")["Location"] == f"/en/shops/manage/{shop.pk}/"
    assert ClaimAttempt.objects.get().ip_address == "203.0.113.9"


def test_claim_page_shows_the_refusal_on_the_form_in_the_visitors_language(client):
    user = make_user()
    entry = make_register_entry(cin="BE123456")
    client.force_login(user)

    response = client.post(
        "/fr/sell/", {"register_number": entry.register_number, "cin": "BE000000"}
    )

    assert response.status_code == 400
    with translation.override("fr"):
        message = translation.gettext(GENERIC_REFUSAL)
    assert message in response.content.decode()
    assert_unclaimed(entry)


def test_claim_page_says_when_to_try_again_once_throttled(client):
    user = make_user()
    entry = make_register_entry(cin="BE123456")
    client.force_login(user)
    for guess in range(5):
        client.post(CLAIM_URL, {"register_number": entry.register_number, "cin": f"BE{guess}"})

    response = client.post(CLAIM_URL, {"register_number": entry.register_number, "cin": "BE123456"})

    assert response.status_code == 429
    assert "try again after" in response.content.decode()
    assert_unclaimed(entry)


def test_claim_page_sends_an_account_already_linked_to_its_shop(client):
    user = make_user()
    entry = make_register_entry(cin="BE123456")
    claim(user, entry, "BE123456")
    client.force_login(user)

    response = client.get(CLAIM_URL)

    assert response.status_code == 302
    assert response["Location"] == "/en/sell/piece/"


@pytest.mark.django_db(transaction=True)
def test_accounts_claiming_one_entry_at_once_link_exactly_one():
    # given: the reference data (an earlier transactional test may have flushed what the
    # migrations loaded), and six accounts racing for one entry, each in its own thread
    call_command("load_nomenclature", stdout=io.StringIO())
    entry = make_register_entry(cin="BE123456")
    users = [make_user() for _ in range(6)]
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(user) -> None:
        try:
            try:
                claim(user, entry, "BE123456")
                result = "claimed"
            except ClaimRefused as refusal:
                result = refusal.code
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=worker, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert sorted(outcomes) == ["claimed"] + ["entry_already_claimed"] * 5
    entry.refresh_from_db()
    assert entry.claimed_by in users
    assert Shop.objects.count() == 1
    assert ShopMember.objects.get().user == entry.claimed_by
