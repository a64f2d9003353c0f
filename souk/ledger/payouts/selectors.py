"""Reads behind the earnings and operations pages: a shop's four figures, its movements, its
monthly statement, the payout runs and the platform's revenue per month."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from xml.etree import ElementTree

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from souk.accounts.models import User
from souk.core.money import Money
from souk.ledger import accounting
from souk.ledger.models import (
    IN_TRANSIT_PAYOUT_STATUSES,
    LedgerAccount,
    Payout,
    PayoutRun,
    PayoutStatus,
    Transfer,
    TransferStatus,
)
from souk.ledger.payouts import pain001
from souk.shops.models import MemberRole, Shop

CURRENCY = accounting.CURRENCY


def list_managed_shops(*, user: User) -> list[Shop]:
    """The shops `user` manages, by name: those whose earnings they may read."""
    return list(
        Shop.objects.filter(members__user=user, members__role=MemberRole.MANAGER)
        .distinct()
        .order_by("display_name", "id")
    )


@dataclass(frozen=True, slots=True)
class ShopAccounts:
    """The ids of a shop's three ledger accounts (None until the first movement opens them)."""

    escrow: int | None
    payable: int | None
    debt: int | None

    @property
    def ids(self) -> list[int]:
        return [pk for pk in (self.escrow, self.payable, self.debt) if pk is not None]


def get_shop_accounts(*, shop_id: int) -> ShopAccounts:
    keys = {
        accounting.escrow_key(shop_id): "escrow",
        accounting.payable_key(shop_id): "payable",
        accounting.debt_key(shop_id): "debt",
    }
    found = {
        keys[key]: pk
        for key, pk in LedgerAccount.objects.filter(key__in=keys).values_list("key", "pk")
    }
    return ShopAccounts(found.get("escrow"), found.get("payable"), found.get("debt"))


@dataclass(frozen=True, slots=True)
class EarningsSummary:
    pending_in_escrow: Money
    # What the shop is owed now: its payable less what it owes Souk.
    available: Money
    in_transit: Money
    paid_out: Money


def get_earnings_summary(*, shop_id: int) -> EarningsSummary:
    accounts = {
        account.key: account
        for account in LedgerAccount.objects.filter(
            key__in=[
                accounting.escrow_key(shop_id),
                accounting.payable_key(shop_id),
                accounting.debt_key(shop_id),
            ]
        )
    }
    zero = Money.zero(CURRENCY)

    def balance(key: str, *, available: bool = False) -> Money:
        account = accounts.get(key)
        if account is None:
            return zero
        return account.available if available else account.balance

    totals = Payout.objects.filter(shop_id=shop_id).aggregate(
        in_transit=Coalesce(Sum("amount", filter=Q(status__in=IN_TRANSIT_PAYOUT_STATUSES)), 0),
        paid=Coalesce(Sum("amount", filter=Q(status=PayoutStatus.PAID)), 0),
    )
    return EarningsSummary(
        pending_in_escrow=balance(accounting.escrow_key(shop_id)),
        available=balance(accounting.payable_key(shop_id), available=True)
        - balance(accounting.debt_key(shop_id)),
        in_transit=Money(totals["in_transit"], CURRENCY),
        paid_out=Money(totals["paid"], CURRENCY),
    )


@dataclass(frozen=True, slots=True)
class Movement:
    """One transfer as the shop sees it: how its escrow and its available balance changed."""

    at: datetime.datetime
    code: str
    reference: str
    # The shop's account the money left ("escrow", "payable", "debt"), else the one it reached.
    account: str
    # The other side of the transfer: "escrow", "payable", "debt", "commission", "outside".
    counterpart: str
    escrow_change: Money | None
    available_change: Money | None


def list_movement_transfers(
    *,
    accounts: ShopAccounts,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[Transfer]:
    """Posted transfers touching the shop's escrow, payable or debt, newest first."""
    ids = accounts.ids
    transfers = Transfer.objects.filter(
        Q(debit_account_id__in=ids) | Q(credit_account_id__in=ids), status=TransferStatus.POSTED
    )
    if since is not None:
        transfers = transfers.filter(created_at__gte=since)
    if until is not None:
        transfers = transfers.filter(created_at__lt=until)
    return transfers.select_related("credit_account", "debit_account").order_by(
        "-created_at", "-id"
    )


def _role(account_id: int, accounts: ShopAccounts) -> str:
    if account_id == accounts.escrow:
        return "escrow"
    if account_id == accounts.payable:
        return "payable"
    if account_id == accounts.debt:
        return "debt"
    return ""


def to_movement(transfer: Transfer, accounts: ShopAccounts) -> Movement:
    """How `transfer` changed the shop's figures. Money into the payable adds to what is
    available; into the debt account (a refund the shop no longer covered) takes from it."""
    debit, credit = (
        _role(transfer.debit_account_id, accounts),
        _role(transfer.credit_account_id, accounts),
    )
    amount = transfer.amount
    escrow = (amount if credit == "escrow" else 0) - (amount if debit == "escrow" else 0)
    available = (
        (amount if credit == "payable" else 0)
        - (amount if debit == "payable" else 0)
        - (amount if debit == "debt" else 0)
        + (amount if credit == "debt" else 0)
    )
    other = transfer.credit_account if debit else transfer.debit_account
    counterpart = _role(other.pk, accounts) or (
        "commission" if other.key == accounting.COMMISSION else "outside"
    )
    touches_escrow = "escrow" in (debit, credit)
    touches_available = bool({"payable", "debt"} & {debit, credit})
    return Movement(
        at=transfer.created_at,
        code=transfer.code,
        reference=transfer.reference_id,
        account=debit or credit,
        counterpart=counterpart,
        escrow_change=Money(escrow, transfer.currency) if touches_escrow else None,
        available_change=Money(available, transfer.currency) if touches_available else None,
    )


def _available_change_before(accounts: ShopAccounts, moment: datetime.datetime) -> Money:
    """The shop's available balance (payable less debt) from the transfers before `moment`."""
    posted = Transfer.objects.filter(status=TransferStatus.POSTED, created_at__lt=moment)
    sums = posted.aggregate(
        payable_in=Coalesce(Sum("amount", filter=Q(credit_account_id=accounts.payable)), 0),
        payable_out=Coalesce(Sum("amount", filter=Q(debit_account_id=accounts.payable)), 0),
        debt_in=Coalesce(Sum("amount", filter=Q(debit_account_id=accounts.debt)), 0),
        debt_out=Coalesce(Sum("amount", filter=Q(credit_account_id=accounts.debt)), 0),
    )
    amount = sums["payable_in"] - sums["payable_out"] - sums["debt_in"] + sums["debt_out"]
    return Money(amount, CURRENCY)


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of the month and of the next one, in Souk's time zone."""
    start = datetime.datetime(year, month, 1)  # noqa: DTZ001 - made aware on the next line
    end = datetime.datetime(year + month // 12, month % 12 + 1, 1)  # noqa: DTZ001 - likewise
    return timezone.make_aware(start), timezone.make_aware(end)


@dataclass(frozen=True, slots=True)
class MonthlyStatement:
    year: int
    month: int
    opening_available: Money
    closing_available: Money
    # Oldest first, as a statement reads.
    movements: list[Movement]


def get_monthly_statement(*, shop_id: int, year: int, month: int) -> MonthlyStatement:
    accounts = get_shop_accounts(shop_id=shop_id)
    start, end = month_bounds(year, month)
    if not accounts.ids:
        zero = Money.zero(CURRENCY)
        return MonthlyStatement(year, month, zero, zero, [])
    transfers = list_movement_transfers(accounts=accounts, since=start, until=end)
    movements = [to_movement(transfer, accounts) for transfer in reversed(list(transfers))]
    return MonthlyStatement(
        year=year,
        month=month,
        opening_available=_available_change_before(accounts, start),
        closing_available=_available_change_before(accounts, end),
        movements=movements,
    )


def list_statement_months(*, shop_id: int, today: datetime.date, limit: int = 12) -> list[str]:
    """ "YYYY-MM" of the months with a statement, newest first: from the shop's first movement
    to this month, at most `limit`."""
    accounts = get_shop_accounts(shop_id=shop_id)
    if not accounts.ids:
        return []
    first = list_movement_transfers(accounts=accounts).order_by("created_at").first()
    if first is None:
        return []
    first_month = timezone.localtime(first.created_at).date().replace(day=1)
    months: list[str] = []
    year, month = today.year, today.month
    while (year, month) >= (first_month.year, first_month.month) and len(months) < limit:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def list_shop_payouts(*, shop_id: int, limit: int = 10) -> list[Payout]:
    return list(Payout.objects.filter(shop_id=shop_id).order_by("-created_at", "-id")[:limit])


def list_payout_runs() -> QuerySet[PayoutRun]:
    """Runs, newest first, with their count, total, returned and unsent payouts, and skips."""
    return (
        PayoutRun.objects.annotate(
            payout_count=Count("payouts"),
            total_amount=Coalesce(Sum("payouts__amount"), 0),
            returned_count=Count("payouts", filter=Q(payouts__status=PayoutStatus.RETURNED)),
            unsent_count=Count("payouts", filter=Q(payouts__status=PayoutStatus.CREATED)),
        )
        .prefetch_related("skips__shop")
        .order_by("-started_at", "-id")
    )


@dataclass(frozen=True, slots=True)
class RunTotals:
    payout_count: int
    total: Money
    unsent_count: int
    returned_count: int


def get_run_totals(*, run_id: int) -> RunTotals:
    totals = Payout.objects.filter(run_id=run_id).aggregate(
        count=Count("pk"),
        total=Coalesce(Sum("amount"), 0),
        unsent=Count("pk", filter=Q(status=PayoutStatus.CREATED)),
        returned=Count("pk", filter=Q(status=PayoutStatus.RETURNED)),
    )
    return RunTotals(
        totals["count"], Money(totals["total"], CURRENCY), totals["unsent"], totals["returned"]
    )


def get_payout_run(*, run_id: int) -> PayoutRun:
    return PayoutRun.objects.get(pk=run_id)


@dataclass(frozen=True, slots=True)
class RevenueMonth:
    month: datetime.date
    commission: Money
    refunded_commission: Money

    @property
    def revenue(self) -> Money:
        return self.commission - self.refunded_commission


def list_monthly_revenue(*, limit: int = 24) -> list[RevenueMonth]:
    """Commission earned less commission refunded, per month (Souk's time zone), newest first."""
    rows = (
        Transfer.objects.filter(status=TransferStatus.POSTED)
        .filter(
            Q(credit_account__key=accounting.COMMISSION)
            | Q(debit_account__key=accounting.COMMISSION)
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            earned=Coalesce(Sum("amount", filter=Q(credit_account__key=accounting.COMMISSION)), 0),
            refunded=Coalesce(Sum("amount", filter=Q(debit_account__key=accounting.COMMISSION)), 0),
        )
        .order_by("-month")[:limit]
    )
    return [
        RevenueMonth(
            month=timezone.localtime(row["month"]).date()
            if isinstance(row["month"], datetime.datetime)
            else row["month"],
            commission=Money(row["earned"], CURRENCY),
            refunded_commission=Money(row["refunded"], CURRENCY),
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class RunDestination:
    """The payouts of a run going one kind of way (bank transfer, mobile wallet)."""

    method: str
    payouts: list[Payout]
    total: Money


def list_run_payouts_by_method(*, run_ids: list[int]) -> dict[int, list[RunDestination]]:
    """Every payout of each run, grouped by destination kind (bank first), with each kind's
    total: what the operators check against the bank file and the wallet's statement."""
    grouped: dict[int, dict[str, list[Payout]]] = {}
    for payout in (
        Payout.objects.filter(run_id__in=run_ids)
        .select_related("shop")
        .order_by("run_id", "method", "shop__display_name", "pk")
    ):
        grouped.setdefault(payout.run_id, {}).setdefault(payout.method, []).append(payout)
    return {
        run_id: [
            RunDestination(
                method=method,
                payouts=rows,
                total=Money(sum(payout.amount for payout in rows), CURRENCY),
            )
            for method, rows in sorted(by_method.items(), key=lambda item: item[0] != "rib")
        ]
        for run_id, by_method in grouped.items()
    }


@dataclass(frozen=True, slots=True)
class TransferFileTotals:
    transfer_count: int
    total: Money


def get_transfer_file_totals(*, run: PayoutRun) -> TransferFileTotals | None:
    """What the run's bank file itself declares (its group header's NbOfTxs and CtrlSum), read
    from the file sent to the bank rather than recomputed; None when the run has no file."""
    if not run.transfer_file:
        return None
    with run.transfer_file.open("rb") as stream:
        # Our own file, written by pain001 into private storage: not untrusted input.
        root = ElementTree.parse(stream).getroot()  # noqa: S314
    header = root.find(f".//{{{pain001.NAMESPACE}}}GrpHdr")
    if header is None:
        return None
    count = header.findtext(f"{{{pain001.NAMESPACE}}}NbOfTxs") or "0"
    total = header.findtext(f"{{{pain001.NAMESPACE}}}CtrlSum") or "0"
    return TransferFileTotals(int(count), Money.from_decimal(Decimal(total), CURRENCY))
