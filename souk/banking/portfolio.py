"""Reads of applications: an officer's queue and portfolio (its bank's only), an artisan's
own applications, the readings of their data, and the portfolio as CSV.

Every lookup by id is filtered by the reader's bank or shops, so that another bank's
application is a 404, its existence untold.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from souk.accounts.models import User
from souk.banking import advances
from souk.banking.advances import AdvanceProgress
from souk.banking.application_models import Application, ApplicationStatus, DataView
from souk.banking.models import PartnerBank
from souk.banking.selectors import percent
from souk.shops.models import MemberRole

DECIDED = (ApplicationStatus.APPROVED, ApplicationStatus.FUNDED, ApplicationStatus.DECLINED)


def list_bank_applications(*, bank: PartnerBank, status: str = "") -> QuerySet[Application]:
    """The bank's applications, newest first (`status` among ApplicationStatus, or all)."""
    found = Application.objects.filter(bank=bank).select_related("offer", "shop")
    if status in ApplicationStatus.values:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-id")


def get_bank_application(*, bank: PartnerBank, application_id: int) -> Application:
    """One application to `bank`; 404 for another bank's."""
    found = (
        Application.objects.filter(bank=bank, pk=application_id)
        .select_related("offer", "bank", "shop")
        .first()
    )
    if found is None:
        raise Http404
    return found


def _artisan_applications(user: User) -> QuerySet[Application]:
    return Application.objects.filter(
        shop__members__user=user, shop__members__role=MemberRole.MANAGER
    ).distinct()


def list_artisan_applications(*, user: User) -> QuerySet[Application]:
    return (
        _artisan_applications(user)
        .select_related("offer", "bank", "shop")
        .order_by("-created_at", "-id")
    )


def get_artisan_application(*, user: User, application_id: int) -> Application:
    """One application of a shop `user` manages; 404 else."""
    found = (
        _artisan_applications(user)
        .filter(pk=application_id)
        .select_related("offer", "bank", "shop")
        .first()
    )
    if found is None:
        raise Http404
    return found


def list_views(*, application: Application) -> QuerySet[DataView]:
    """The officers' readings of the application's shared lines, newest first."""
    return DataView.objects.filter(application=application).order_by("-viewed_at", "-id")


# -- the bank's portfolio --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Portfolio:
    by_status: list[tuple[str, str, int]]  # value, label, count
    total: int
    approval_rate_percent: Decimal
    funded_count: int
    funded_amount: int
    # The bank's advances with their repayment, newest first (read from the ledger).
    advance_repayments: list[AdvanceProgress]


def get_portfolio(*, bank: PartnerBank) -> Portfolio:
    counts = dict(
        Application.objects.filter(bank=bank)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    approved = counts.get(ApplicationStatus.APPROVED, 0) + counts.get(ApplicationStatus.FUNDED, 0)
    decided = sum(counts.get(status, 0) for status in DECIDED)
    funded = Application.objects.filter(bank=bank, status=ApplicationStatus.FUNDED).aggregate(
        n=Count("id"), total=Sum("amount_funded")
    )
    return Portfolio(
        by_status=[
            (value, str(label), counts.get(value, 0)) for value, label in ApplicationStatus.choices
        ],
        total=sum(counts.values()),
        approval_rate_percent=percent(approved, decided),
        funded_count=funded["n"] or 0,
        funded_amount=funded["total"] or 0,
        advance_repayments=advances.list_progress(bank_id=bank.pk),
    )


CSV_HEADER = (
    "application",
    "applied_at",
    "offer",
    "kind",
    "status",
    "status_label",
    "shop",
    "amount_requested_mad",
    "amount_funded_mad",
    "decided_at",
    "funded_at",
    "consent",
    "advance",
    "advance_status",
    "advance_status_label",
    "advance_total_mad",
    "advance_withheld_mad",
    "advance_settled_outside_mad",
    "advance_remaining_mad",
)


def _mad(amount: int | None) -> str:
    return "" if amount is None else f"{Decimal(amount) / 100:.2f}"


def _moment(value: Any) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def portfolio_csv(*, bank: PartnerBank) -> str:
    """The bank's applications as CSV (UTF-8, one row each, amounts in MAD with a dot), each
    with its advance's repayment when one was funded; then the advances funded without an
    application. The shop is left out when the consent is no longer active: the bank keeps
    only the number."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    progress = advances.list_progress(bank_id=bank.pk)
    by_application = {p.advance.application_id: p for p in progress if p.advance.application_id}
    for application in list_bank_applications(bank=bank).order_by("created_at", "id"):
        state = application.consent_state
        writer.writerow(
            (
                application.pk,
                _moment(application.created_at),
                application.offer.title_fr or application.offer.title,
                application.offer.kind,
                application.status,
                application.get_status_display(),
                application.shop.display_name if state == "active" else "",
                _mad(application.amount_requested),
                _mad(application.amount_funded),
                _moment(application.decided_at),
                _moment(application.funded_at),
                state,
                *_advance_columns(by_application.get(application.pk)),
            )
        )
    for row in reversed(progress):
        if row.advance.application_id is None:
            empty = ("",) * 5
            writer.writerow(
                (
                    "",
                    _moment(row.advance.funded_at),
                    "",
                    "advance",
                    "",
                    "",
                    row.advance.shop.display_name,
                    *empty,
                    *_advance_columns(row),
                )
            )
    return out.getvalue()


def _advance_columns(row: AdvanceProgress | None) -> tuple[str, ...]:
    if row is None:
        return ("",) * 7
    return (
        row.advance.reference,
        row.advance.status,
        row.advance.get_status_display(),
        _mad(row.total),
        _mad(row.withheld),
        _mad(row.settled_outside),
        _mad(row.remaining),
    )
