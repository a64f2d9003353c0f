"""The artisan's earnings page and statement, and the operators' payouts page, through HTTP."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.core.money import Money, format_money_for_language
from souk.ledger import payouts
from souk.ledger.models import Payout, PayoutRun
from souk.ledger.tests.payout_factories import (
    make_rib_shop,
    make_wallet_shop,
    refund_after_completion,
    sell,
    sell_by_order,
)
from souk.shops.models import MemberRole, ShopMember
from souk.shops.tests.factories import make_artisan, make_moderator, owner_of

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(f"ledger:{name}", kwargs=kwargs)


def money(amount: int, language: str) -> str:
    return format_money_for_language(Money(amount, "MAD"), language)


def text_of(response) -> str:
    # One space for any run of white space, tags dropped: what a reader sees (<bdi> only
    # isolates the text it holds, so it adds no space).
    html = re.sub(r"</?bdi>", "", response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def shop_with_history():
    """Sold 450 MAD (45 commission) and paid out; refunded 100 MAD of it after; 300 MAD sold
    since; a parcel paid and waiting in escrow."""
    shop = make_rib_shop()
    first = sell(shop, 45000, commission=4500)
    payouts.start_payout_run(key="test:first")
    refund_after_completion(shop, first, 10000, commission=1000)
    sell(shop, 30000)
    pending = sell_by_order(shop)
    return shop, pending


def test_earnings_page_shows_the_four_figures_and_the_movements_in_english(
    client, shop_with_history
):
    # given
    shop, pending = shop_with_history
    client.force_login(owner_of(shop))

    # when
    response = client.get(url("earnings"))

    # then
    assert response.status_code == 200
    figures = dict(response.context["figures"])
    assert figures == {
        "In escrow": money(pending, "en"),
        "Available": money(30000 - 9000, "en"),
        "On its way to you": money(40500, "en"),
        "Paid out": money(0, "en"),
    }
    page = text_of(response)
    payout = Payout.objects.get()
    assert f"Payout {payout.reference}" in page
    assert "Souk commission on parcel SK-TEST" in page
    assert "Refund of parcel SK-TEST" in page
    assert "beyond your balance: owed to Souk" in page
    assert "Payment received for parcel SK-" in page
    labels = [row["label"] for row in response.context["rows"]]
    assert labels[0].startswith("Payment received for parcel SK-")  # newest first


def test_earnings_page_speaks_the_readers_language(client, shop_with_history):
    shop, pending = shop_with_history
    client.force_login(owner_of(shop))

    response = client.get(url("earnings", "fr"))

    assert response.status_code == 200
    figures = dict(response.context["figures"])
    assert figures["Disponible"] == money(21000, "fr")
    assert figures["En séquestre"] == money(pending, "fr")
    page = text_of(response)
    assert "Paiement reçu pour le colis SK-" in page
    assert f"Versement {Payout.objects.get().reference}" in page


def test_earnings_page_queries_do_not_grow_with_the_movements(
    client, django_assert_max_num_queries
):
    shop = make_rib_shop()
    for _ in range(12):
        sell(shop, 1000, commission=100)
    client.force_login(owner_of(shop))

    # Two of them read the shop's bank advances (partners.get_shop_claims_owed).
    with django_assert_max_num_queries(18):
        response = client.get(url("earnings"))

    assert len(response.context["rows"]) == 25


def test_someone_who_manages_no_shop_gets_404(client):
    client.force_login(make_user())
    assert client.get(url("earnings")).status_code == 404
    assert client.get(url("statement", year=2026, month=11)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(url("earnings"))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_a_manager_of_two_shops_chooses_and_cannot_read_anothers(client):
    # given
    first, second, stranger = make_rib_shop(), make_rib_shop(), make_rib_shop()
    artisan = owner_of(first)
    ShopMember.objects.create(
        shop=second, user=artisan, role=MemberRole.MANAGER, public_name="Fatima"
    )
    sell(second, 12000)
    client.force_login(artisan)

    # when
    chosen = client.get(url("earnings"), {"shop": second.pk})
    foreign = client.get(url("earnings"), {"shop": stranger.pk})

    # then
    assert chosen.context["shop"] == second
    assert {shop.pk for shop in chosen.context["shops"]} == {first.pk, second.pk}
    assert f'<option value="{second.pk}" selected>' in chosen.content.decode()
    assert dict(chosen.context["figures"])["Available"] == money(12000, "en")
    assert foreign.status_code == 404


def test_a_shop_member_who_is_not_a_manager_gets_404(client):
    shop = make_rib_shop()
    member = make_artisan()
    ShopMember.objects.create(shop=shop, user=member, role=MemberRole.MEMBER, public_name="Ali")
    client.force_login(member)

    assert client.get(url("earnings")).status_code == 404


def test_monthly_statement_pdf_has_the_shop_balances_and_movements(client):
    # given
    shop = make_rib_shop()
    sell(shop, 45000, commission=4500)
    client.force_login(owner_of(shop))
    today = timezone.localdate()

    # when
    response = client.get(url("statement", year=today.year, month=today.month))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert shop.display_name in text
    assert "MAD405.00" in text  # the closing balance and the completion
    assert "Parcel SK-TEST" in text


def test_statement_in_arabic_is_a_pdf_and_a_month_without_movements_has_none(client):
    shop = make_rib_shop()
    sell(shop, 45000)
    client.force_login(owner_of(shop))

    arabic = client.get(url("statement", "ar", year=2025, month=1))

    assert arabic.status_code == 200
    assert arabic.content.startswith(b"%PDF")
    assert client.get(url("statement", year=2025, month=13)).status_code == 404


def test_statement_opening_and_closing_balances_follow_the_months():
    from souk.ledger.payouts import selectors

    shop = make_rib_shop()
    sell(shop, 45000)
    now = timezone.localtime()
    next_month = (now.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)

    this = selectors.get_monthly_statement(shop_id=shop.pk, year=now.year, month=now.month)
    after = selectors.get_monthly_statement(
        shop_id=shop.pk, year=next_month.year, month=next_month.month
    )

    assert (this.opening_available.amount, this.closing_available.amount) == (0, 45000)
    assert (after.opening_available.amount, after.closing_available.amount) == (45000, 45000)
    assert after.movements == []
    assert sum(m.available_change.amount for m in this.movements if m.available_change) == 45000


# --- Operators ---------------------------------------------------------------------------------


def make_admin() -> User:
    return accounts.grant_role(user=make_user(), role=Role.ADMIN)


def make_finance() -> User:
    return accounts.grant_role(user=make_user(), role=Role.FINANCE)


@pytest.mark.parametrize(
    ("who", "page_status", "run_status"),
    [
        ("artisan", 403, 403),
        ("buyer", 403, 403),
        ("moderator", 200, 403),
        ("admin", 200, 403),
        ("finance", 200, 302),
    ],
)
def test_only_finance_starts_payout_runs(client, who, page_status, run_status):
    makers: dict[str, Callable[[], User]] = {
        "artisan": make_artisan,
        "buyer": make_user,
        "moderator": make_moderator,
        "admin": make_admin,
        "finance": make_finance,
    }
    shop = make_rib_shop()
    sell(shop, 30000)
    user = makers[who]()
    client.force_login(user)

    page = client.get(url("operations"))
    run = client.post(url("start_run"), {"token": "0" * 32})

    assert page.status_code == page_status
    assert run.status_code == run_status
    if page_status == 200:
        assert ("Run payouts now" in text_of(page)) is (run_status == 302)
    assert PayoutRun.objects.count() == (1 if run_status == 302 else 0)
    assert Payout.objects.count() == (1 if run_status == 302 else 0)


def test_operations_page_lists_runs_with_totals_skips_and_revenue(client):
    # given
    paid, nowhere = make_rib_shop(), make_rib_shop()
    nowhere.payout_method, nowhere.payout_rib = "", ""
    nowhere.save(update_fields=["payout_method", "payout_rib"])
    reference = sell(paid, 45000, commission=4500)
    sell(nowhere, 20000, commission=2000)
    refund_after_completion(paid, reference, 10000, commission=1000)
    payouts.start_payout_run(key="test:ops")
    client.force_login(make_finance())

    # when
    response = client.get(url("operations"))

    # then
    assert response.status_code == 200
    [row] = response.context["runs"]
    assert (row["run"].payout_count, row["total"]) == (1, money(31500, "en"))
    page = text_of(response)
    assert f"{nowhere.display_name}: No bank account or wallet given" in page
    [month] = response.context["revenue"]
    assert (month["commission"], month["refunded"], month["revenue"]) == (
        money(6500, "en"),
        money(1000, "en"),
        money(5500, "en"),
    )
    assert "Download" in page


def test_operations_page_lists_every_payout_of_a_run_by_destination_and_the_file_total(
    client,
):
    # given: a run paying one shop by bank transfer and one by mobile wallet
    bank, phone = make_rib_shop(), make_wallet_shop()
    sell(bank, 1_010_000, commission=87_500)
    sell(phone, 1_190_000, commission=0)
    payouts.start_payout_run(key="test:kinds")
    client.force_login(make_finance())

    # when
    page = text_of(client.get(url("operations")))

    # then: both payouts are listed under their kind, with each kind's total and the file's
    assert f"2 payouts, {money(2_112_500, 'en')}" in page
    assert (
        f"Bank transfer: 1 payout, {money(922_500, 'en')} {bank.display_name} "
        f"{money(922_500, 'en')}"
    ) in page
    assert (
        f"Mobile wallet: 1 payout, {money(1_190_000, 'en')} {phone.display_name} "
        f"{money(1_190_000, 'en')}"
    ) in page
    assert f"Bank file: 1 transfer, {money(922_500, 'en')}" in page


def test_run_button_starts_one_run_even_when_pressed_twice(client):
    shop = make_rib_shop()
    sell(shop, 30000)
    operator = make_finance()
    client.force_login(operator)
    token = client.get(url("operations")).context["form"].initial["token"]

    first = client.post(url("start_run"), {"token": token})
    second = client.post(url("start_run"), {"token": token})

    assert first.status_code == second.status_code == 302
    run = PayoutRun.objects.get()
    assert run.started_by == operator
    assert Payout.objects.count() == 1


def test_transfer_file_is_downloaded_by_finance_only(client):
    shop = make_rib_shop()
    sell(shop, 30000)
    run = payouts.start_payout_run(key="test:file")

    client.force_login(owner_of(shop))
    assert client.get(url("transfer_file", run_id=run.pk)).status_code == 403

    # A moderator and an administrator (not a superuser) may not read every artisan's IBAN.
    for maker in (make_moderator, make_admin):
        client.force_login(maker())
        assert client.get(url("transfer_file", run_id=run.pk)).status_code == 403

    client.force_login(make_finance())
    response = client.get(url("transfer_file", run_id=run.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{run.reference}.xml"'
    assert b"<EndToEndId>" in b"".join(response.streaming_content)
    assert client.get(url("transfer_file", run_id=run.pk + 1)).status_code == 404


def test_a_new_shop_sees_zeros_and_no_movement(client):
    shop = make_rib_shop()
    client.force_login(owner_of(shop))

    response = client.get(url("earnings", "ar"))

    assert response.status_code == 200
    assert [value for _label, value in response.context["figures"]] == [money(0, "ar")] * 4
    assert response.context["rows"] == []
    assert response.context["months"] == []


def test_the_earnings_page_shows_what_a_bank_advance_withheld_and_what_remains(client):
    from souk.ledger import partners

    shop = make_rib_shop()
    sell(shop, 10_000, commission=1_000)
    partners.set_payee(partner="bank:007", name="Attijariwafa bank", iban="MA64" + "0" * 24)
    partners.open_claim(
        claim="ADV-TEST", partner="bank:007", shop_id=shop.pk, amount=Money(5_000, "MAD")
    )
    partners.lock_claim(claim="ADV-TEST", partner="bank:007", shop_id=shop.pk)
    partners.collect(
        key="withheld-test",
        code="partner_repayment_withheld",
        claim="ADV-TEST",
        partner="bank:007",
        shop_id=shop.pk,
        amount=Money(900, "MAD"),
        reference="SK-TEST-1",
    )
    client.force_login(owner_of(shop))

    page = client.get(url("earnings", "fr")).content.decode()

    assert "Retenu pour les avances bancaires" in page
    assert "Reste à rembourser sur les avances bancaires" in page
    assert format_money_for_language(Money(4_100, "MAD"), "fr") in page  # 50.00 - 9.00
    assert "Retenu pour votre avance bancaire sur le colis SK-TEST-1" in page
