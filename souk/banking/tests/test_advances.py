"""Revenue-based advances: withheld from each release, never beyond principal + fee, paid to the
bank in the payout run, through the real order, ledger and payout services (docs/banking.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum

from souk.banking import advances
from souk.banking.errors import AdvanceAlreadyRunning, InvalidAdvanceTerms, NotAnOfficer
from souk.banking.models import Advance, AdvanceStatus, PartnerBank
from souk.banking.tests.factories import deliver_and_complete, make_bank, make_officer, sell
from souk.core.money import Money
from souk.ledger import accounting, partners
from souk.ledger.models import LedgerAccount, Payout, PayoutStatus, Transfer
from souk.ledger.partner_checks import COLLECTED_CODES
from souk.ledger.payouts.runs import start_payout_run
from souk.ledger.payouts.statuses import settle_payout
from souk.ledger.selectors import check_ledger, get_balance
from souk.orders import services as orders
from souk.orders.models import SubOrder
from souk.shops.models import Shop
from souk.shops.tests.factories import VALID_RIB, make_approved_shop, make_moderator

pytestmark = pytest.mark.django_db


def funded_bank() -> PartnerBank:
    bank = make_bank(settlement_rib=VALID_RIB)
    make_officer(bank)
    return bank


def fund(shop: Shop, bank: PartnerBank, principal: int, fee: int, share: str) -> Advance:
    return advances.fund_advance(
        shop=shop,
        bank=bank,
        principal=Money(principal, "MAD"),
        fee=Money(fee, "MAD"),
        share=Decimal(share),
        by=bank.officers.get().user,
    )


def complete_a_sale(shop: Shop) -> tuple[SubOrder, int]:
    """A parcel sold and completed; returns it and the amount released to the artisan."""
    order = sell(shop)
    parcel = deliver_and_complete(order.sub_orders.get(), order.buyer)
    released = Transfer.objects.get(
        code="sub_order_completed",
        reference_id=parcel.reference,
        credit_account__key=accounting.payable_key(shop.pk),
    ).amount
    return parcel, released


def withheld(advance: Advance) -> int:
    total = Transfer.objects.filter(
        credit_account__key=partners.receivable_key(advance.reference),
        code__in=COLLECTED_CODES,
    ).aggregate(total=Sum("amount"))["total"]
    return total or 0


def progress(advance: Advance) -> advances.AdvanceProgress:
    return advances.list_progress(shop_id=advance.shop_id)[0]


def test_a_share_of_each_release_is_withheld_and_paid_to_the_bank() -> None:
    # given an advance of 1,000.00 MAD with a fee of 80.00 MAD repaid by 10% of each release
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 100_000, 8_000, "10")

    # when a parcel is completed
    _parcel, released = complete_a_sale(shop)

    # then 10% of what was released went to the bank's payable, the rest stays the artisan's
    share = (released + 5) // 10
    assert withheld(advance) == share
    assert get_balance(key=accounting.payable_key(shop.pk)).amount == released - share
    assert progress(advance).remaining == 108_000 - share
    assert check_ledger() == []

    # and the payout run pays the bank by its own credit transfer to its settlement account
    run = start_payout_run(key="test-run-1")
    to_bank = Payout.objects.get(run=run, payee__key=f"bank:{bank.bank_code}")
    assert to_bank.amount == share
    document = run.transfer_file.read().decode()
    assert "MA64" + VALID_RIB in document
    assert f"<EndToEndId>{to_bank.reference}</EndToEndId>" in document
    assert get_balance(key=partners.partner_payable_key(f"bank:{bank.bank_code}")).amount == 0
    assert check_ledger() == []


def test_never_more_than_principal_and_fee_is_withheld() -> None:
    # given a small advance (55.00 MAD to repay) and a share larger than it on one release
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 5_000, 500, "50")

    # when two parcels are completed
    complete_a_sale(shop)
    _second, released = complete_a_sale(shop)

    # then exactly 55.00 MAD was withheld, the advance is repaid, the second release is whole
    assert withheld(advance) == 5_500
    assert Advance.objects.get(pk=advance.pk).status == AdvanceStatus.REPAID
    assert progress(advance).remaining == 0
    assert check_ledger() == []
    assert released > 0


def test_a_refund_after_withholding_leaves_the_repayment_and_becomes_debt() -> None:
    # given an advance, a completed parcel with its share withheld, and the artisan paid out
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 100_000, 8_000, "20")
    parcel, _released = complete_a_sale(shop)
    share = withheld(advance)
    start_payout_run(key="test-run-refund")

    # when the buyer is refunded in full after completion
    orders.force_refund(
        sub_order=parcel, moderator=make_moderator(), reason="Broken.", approved_by=make_moderator()
    )

    # then the bank keeps its repayment; what the artisan no longer holds is owed to Souk
    assert withheld(advance) == share
    assert get_balance(key=accounting.debt_key(shop.pk)).is_positive()
    assert progress(advance).remaining == 108_000 - share
    assert check_ledger() == []


def test_a_returned_bank_payout_is_paid_again_by_the_next_run() -> None:
    # given a run that paid the bank what was withheld
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 100_000, 0, "10")
    complete_a_sale(shop)
    first = Payout.objects.get(run=start_payout_run(key="run-a"), payee__isnull=False)

    # when the bank's transfer comes back
    settle_payout(
        reference=first.reference,
        status=PayoutStatus.RETURNED,
        settled_on=first.created_at.date(),
        reason="Account closed",
    )

    # then it is owed to the bank again, and the next run pays it once more
    partner = f"bank:{bank.bank_code}"
    assert get_balance(key=partners.partner_payable_key(partner)).amount == first.amount
    second = Payout.objects.get(run=start_payout_run(key="run-b"), payee__isnull=False)
    assert second.amount == first.amount == withheld(advance)
    assert check_ledger() == []


def test_the_artisan_repays_early_from_the_available_balance() -> None:
    # given an advance of 300.00 MAD and a release the artisan has not been paid yet
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 30_000, 0, "10")
    _parcel, released = complete_a_sale(shop)
    owed = progress(advance).remaining
    manager = shop.members.get().user

    # when they repay the rest now
    repaid = advances.repay_early(advance=advance, by=manager)

    # then what was owed (or what they had) left their balance for the bank
    assert repaid.amount == min(owed, released - (30_000 - owed))
    assert progress(advance).remaining == owed - repaid.amount
    if repaid.amount == owed:
        assert Advance.objects.get(pk=advance.pk).status == AdvanceStatus.REPAID
    assert check_ledger() == []


def test_the_bank_settles_the_rest_of_a_closed_shops_advance() -> None:
    # given an advance partly repaid, for a shop that then stopped selling
    shop, bank = make_approved_shop(), funded_bank()
    advance = fund(shop, bank, 100_000, 8_000, "10")
    complete_a_sale(shop)
    rest = progress(advance).remaining

    # when the bank's officer records the rest as repaid to the bank directly
    settled = advances.settle_with_bank(
        advance=advance, by=bank.officers.get().user, reason="Repaid at the branch"
    )

    # then nothing more is owed, the advance is settled, and a later release is whole
    assert settled.amount == rest
    assert Advance.objects.get(pk=advance.pk).status == AdvanceStatus.SETTLED
    before = withheld(advance)
    complete_a_sale(shop)
    assert withheld(advance) == before
    assert check_ledger() == []


def test_bad_advances_are_refused_and_change_nothing() -> None:
    shop, bank = make_approved_shop(), funded_bank()
    with pytest.raises(InvalidAdvanceTerms):
        fund(shop, bank, 0, 100, "10")
    with pytest.raises(InvalidAdvanceTerms):
        fund(shop, bank, 10_000, 100, "0")
    with pytest.raises(NotAnOfficer):
        advances.fund_advance(
            shop=shop,
            bank=bank,
            principal=10_000,
            fee=0,
            share="10",
            by=make_officer(make_bank()),
        )
    fund(shop, bank, 10_000, 100, "10")
    with pytest.raises(AdvanceAlreadyRunning):
        fund(shop, bank, 20_000, 100, "10")
    assert Advance.objects.count() == 1
    assert LedgerAccount.objects.filter(type="partner_receivable").count() == 1
