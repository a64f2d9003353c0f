"""The advances through their pages: an officer funds an approved advance application (and
later releases have the share withheld), the portfolio's table and CSV, the artisan's early
repayment, the officer's "settled with us"; anyone else gets a 404."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client

from souk.accounts.models import User
from souk.banking import advances, applications
from souk.banking.application_models import Application, ApplicationStatus
from souk.banking.models import Advance, AdvanceStatus, OfferKind, PartnerBank
from souk.banking.tests.factories import (
    deliver_and_complete,
    make_bank,
    make_offer,
    make_officer,
    sell,
)
from souk.banking.tests.test_advances import complete_a_sale, fund, funded_bank, withheld
from souk.core.models import AuditEntry
from souk.ledger import accounting
from souk.ledger.models import Transfer
from souk.ledger.selectors import check_ledger
from souk.shops.models import Shop
from souk.shops.tests.factories import VALID_RIB, make_approved_shop, owner_of

pytestmark = pytest.mark.django_db


def approved_advance_application(bank: PartnerBank, shop: Shop) -> tuple[Application, User]:
    officer = bank.officers.get().user
    offer = make_offer(
        bank,
        kind=OfferKind.ADVANCE,
        title_en="Sales advance",
        max_amount=2_000_000,
        flat_fee_amount=8_000,
        withheld_percent=Decimal("10"),
    )
    application = applications.apply(
        shop=shop, user=owner_of(shop), offer=offer, lines=["figures"], days=90, amount=100_000
    )
    for action in ("review", "approve"):
        applications.move_application(application=application, action=action, actor=officer)
    return application, officer


def test_an_officer_funds_an_approved_advance_and_releases_then_repay_it(client: Client) -> None:
    # given an approved application for an advance of a shop with a parcel not completed yet
    bank = make_bank(settlement_rib=VALID_RIB)
    make_officer(bank)
    shop = make_approved_shop()
    order = sell(shop)
    application, officer = approved_advance_application(bank, shop)

    # when the officer funds it on the application's page
    client.force_login(officer)
    page = client.get(f"/en/banking/bank/applications/{application.pk}/").content.decode()
    assert "Mark as funded" in page
    response = client.post(
        f"/en/banking/bank/applications/{application.pk}/fund/",
        {"principal": "1000", "fee": "80", "share": "10"},
    )

    # then the advance exists, for that shop and bank, and the application is funded
    assert response.status_code == 302
    advance = Advance.objects.get(application_id=application.pk)
    assert (advance.shop_id, advance.bank_id, advance.status) == (
        shop.pk,
        bank.pk,
        AdvanceStatus.REPAYING,
    )
    assert (advance.principal_amount, advance.fee_amount, advance.share_percent) == (
        100_000,
        8_000,
        Decimal("10"),
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.FUNDED
    assert application.amount_funded == 100_000

    # and when the parcel is completed, 10% of what is released is withheld for the bank
    parcel = deliver_and_complete(order.sub_orders.get(), order.buyer)
    released = Transfer.objects.get(
        code="sub_order_completed",
        reference_id=parcel.reference,
        credit_account__key=accounting.payable_key(shop.pk),
    ).amount
    assert released > 0
    assert withheld(advance) == (released + 5) // 10
    assert advances.list_progress(shop_id=shop.pk)[0].remaining == 108_000 - withheld(advance)
    assert check_ledger() == []


def test_funding_fails_clearly_and_leaves_the_application_approved(client: Client) -> None:
    bank = make_bank()  # no settlement RIB: the bank cannot be paid
    make_officer(bank)
    shop = make_approved_shop()
    sell(shop)
    application, officer = approved_advance_application(bank, shop)

    client.force_login(officer)
    response = client.post(f"/fr/banking/bank/applications/{application.pk}/fund/", {})

    assert response.status_code == 409
    assert not Advance.objects.exists()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.APPROVED


def test_the_portfolio_shows_and_exports_the_banks_advances(client: Client) -> None:
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 100_000, 8_000, "10")
    _parcel, released = complete_a_sale(shop)
    taken = withheld(advance)
    other_bank = funded_bank()
    other = fund(make_approved_shop(), other_bank, 50_000, 0, "5")

    client.force_login(bank.officers.get().user)
    page = client.get("/en/banking/bank/portfolio/").content.decode()
    french = client.get("/fr/banking/bank/portfolio/").content.decode()
    rows = list(
        csv.DictReader(io.StringIO(client.get("/en/banking/bank/portfolio.csv").content.decode()))
    )

    assert advance.reference in page
    assert other.reference not in page
    assert "MAD1,080.00" in page  # principal and fee
    assert f'<progress max="100" value="{100 - (108_000 - taken) * 100 // 108_000}"' in page
    assert "Being repaid" in page
    assert "Reste à rembourser" in french
    assert [(r["advance"], r["advance_total_mad"], r["advance_status"]) for r in rows] == [
        (advance.reference, "1080.00", "repaying")
    ]
    assert rows[0]["advance_withheld_mad"] == f"{taken / 100:.2f}"
    assert rows[0]["advance_remaining_mad"] == f"{(108_000 - taken) / 100:.2f}"
    assert released > 0


def test_the_artisan_repays_early_from_the_money_page(client: Client) -> None:
    # given an advance and a completed parcel whose money the artisan has not been paid yet
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 100_000, 8_000, "10")
    complete_a_sale(shop)
    available = advances.available_to_repay(advance=advance)
    owed = advances.list_progress(shop_id=shop.pk)[0].remaining
    url = f"/en/banking/advances/{advance.reference}/repay/"
    client.force_login(owner_of(shop))
    assert url in client.get(f"/en/banking/?shop={shop.pk}").content.decode()

    # when they ask for more than their balance holds: a clear error, nothing moves
    too_much = f"{(available + 1) / 100:.2f}"
    refused = client.post(url, {"amount": too_much, "confirm": "on"})
    assert refused.status_code == 200
    assert "Your available balance is too short" in refused.content.decode()
    in_french = client.post(
        f"/fr/banking/advances/{advance.reference}/repay/", {"amount": too_much, "confirm": "on"}
    )
    assert "Votre solde disponible" in in_french.content.decode()
    assert advances.list_progress(shop_id=shop.pk)[0].remaining == owed

    # and without confirming: nothing moves either
    client.post(url, {"amount": "1.00"})
    assert advances.list_progress(shop_id=shop.pk)[0].remaining == owed

    # when they repay 1.00 MAD, confirmed
    done = client.post(url, {"amount": "1.00", "confirm": "on"})
    assert done.status_code == 302
    assert advances.list_progress(shop_id=shop.pk)[0].remaining == owed - 100
    assert advances.available_to_repay(advance=advance) == available - 100
    assert check_ledger() == []


def test_only_the_shops_manager_may_repay_and_only_the_bank_may_settle(client: Client) -> None:
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 100_000, 0, "10")
    repay = f"/en/banking/advances/{advance.reference}/repay/"
    settle = f"/en/banking/bank/advances/{advance.reference}/settle/"
    stranger = make_approved_shop()
    other_bank = funded_bank()

    client.force_login(owner_of(stranger))
    assert client.get(repay).status_code == 404
    assert client.post(repay, {"amount": "1", "confirm": "on"}).status_code == 404
    client.force_login(owner_of(shop))
    assert client.get(settle).status_code == 404
    client.force_login(other_bank.officers.get().user)
    assert client.get(settle).status_code == 404
    assert client.post(settle, {"outcome": "written_off"}).status_code == 404
    client.force_login(bank.officers.get().user)
    assert client.get(repay).status_code == 404
    assert advances.list_progress(shop_id=shop.pk)[0].remaining == 100_000


def test_the_officer_records_what_was_settled_with_the_bank(client: Client) -> None:
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 100_000, 8_000, "10")
    officer = bank.officers.get().user
    settle = f"/en/banking/bank/advances/{advance.reference}/settle/"
    client.force_login(officer)
    assert settle in client.get("/en/banking/bank/portfolio/").content.decode()

    # part repaid to the bank directly, then the rest written off
    assert client.post(settle, {"outcome": "repaid", "amount": "300"}).status_code == 302
    assert advances.list_progress(bank_id=bank.pk)[0].settled_outside == 30_000
    assert client.post(settle, {"outcome": "written_off", "note": "Closed."}).status_code == 302

    row = advances.list_progress(bank_id=bank.pk)[0]
    assert (row.settled_outside, row.remaining) == (108_000, 0)
    assert Advance.objects.get(pk=advance.pk).status == AdvanceStatus.SETTLED
    reasons = list(
        AuditEntry.objects.filter(action="bank_advance.settle").values_list("reason", flat=True)
    )
    assert sorted(reasons) == ["repaid", "written_off: Closed."]
    page = client.get("/en/banking/bank/portfolio/").content.decode()
    assert settle not in page
    assert "Settled with the bank" in page
    # no outcome chosen: refused, nothing else
    assert client.post(settle, {}).status_code == 200
    assert check_ledger() == []
