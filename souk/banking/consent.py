"""What an artisan shares with a bank: the snapshot frozen at consent, and how an officer
reads it (docs/banking.md "Consent and applications").

The snapshot holds only the lines the artisan ticked, as raw values (amounts in minor units,
codes, ISO dates) so that it reads in the officer's language later. `shared_sections` is the
one way an officer's page gets shared data: nothing when the consent is not active.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from souk.accounts.models import User
from souk.banking import attestation as attestations
from souk.banking import selectors
from souk.banking.application_models import Application, ShareLine
from souk.banking.models import SalesAttestation
from souk.core.money import Money, format_money_for_language
from souk.registry.models import Category, EntryStatus, Qualification
from souk.shops.models import PayoutMethod, Shop

# The attestation shared with a bank covers the last twelve months.
ATTESTATION_MONTHS = 12


def available_lines(shop: Shop) -> list[str]:
    """The lines this shop can share: the RIB only when its payouts go to one."""
    lines = [ShareLine.FIGURES, ShareLine.ATTESTATION, ShareLine.IDENTITY]
    if shop.payout_method == PayoutMethod.RIB and shop.payout_rib:
        lines.append(ShareLine.RIB)
    return [str(line) for line in lines]


def _figures(shop: Shop) -> dict[str, Any]:
    profile = selectors.get_money_profile(shop_id=shop.pk)
    return {
        "months": [
            {
                "month": m.month.isoformat(),
                "sales": m.sales_amount,
                "orders": m.orders_count,
                "refunds": m.refunds_amount,
                "net": m.net_amount,
            }
            for m in profile.months
        ],
        "sales_amount": profile.sales_amount,
        "net_amount": profile.net_amount,
        "orders_count": profile.orders_count,
        "refund_rate_percent": str(profile.refund_rate_percent),
        "abroad_share_percent": str(profile.abroad_share_percent),
        "months_with_sales": profile.months_with_sales,
        "sales_12m_amount": profile.sales_12m_amount,
        "escrow_amount": profile.escrow_amount,
        "average_payout_amount": profile.average_payout_amount,
        "countries": [
            {"country": c.country, "sales": c.sales_amount, "share": str(c.share_percent)}
            for c in profile.countries
        ],
    }


def _identity(shop: Shop) -> dict[str, Any]:
    entry = shop.register_entry
    return {
        "name_fr": entry.name_in("fr"),
        "name_ar": entry.name_in("ar"),
        "register_number": entry.register_number,
        "category": entry.category,
        "qualification": entry.qualification,
        "cin": entry.cin,
        "birth_date": entry.birth_date.isoformat() if entry.birth_date else "",
        "ice": entry.ice,
        "trade": entry.trade.name_fr,
        "region": entry.region.name_fr,
        "province": entry.province,
        "commune": entry.commune,
        "registered_at": entry.registered_at.isoformat(),
        "register_status": entry.status,
        "shop": shop.display_name,
    }


def _attestation(shop: Shop, user: User) -> tuple[SalesAttestation, dict[str, Any]]:
    months = selectors.last_months(ATTESTATION_MONTHS)
    issued, _pdf = attestations.issue_attestation(
        shop=shop,
        user=user,
        first=months[0],
        last=months[-1],
        language="fr",
        site_url=settings.SOUK_SITE_URL,
    )
    return issued, {
        "code": issued.code,
        "first_month": issued.first_month.isoformat(),
        "last_month": issued.last_month.isoformat(),
        "figures": issued.figures,
    }


def take_snapshot(
    *, shop: Shop, user: User, lines: Iterable[str]
) -> tuple[dict[str, Any], SalesAttestation | None]:
    """The chosen lines as they are now (an attestation is issued for its line)."""
    chosen = set(lines)
    snapshot: dict[str, Any] = {"taken_at": timezone.now().isoformat()}
    issued = None
    if ShareLine.FIGURES in chosen:
        snapshot[ShareLine.FIGURES] = _figures(shop)
    if ShareLine.ATTESTATION in chosen:
        issued, snapshot[ShareLine.ATTESTATION] = _attestation(shop, user)
    if ShareLine.IDENTITY in chosen:
        snapshot[ShareLine.IDENTITY] = _identity(shop)
    if ShareLine.RIB in chosen:
        snapshot[ShareLine.RIB] = {"rib": shop.payout_rib}
    return snapshot, issued


# -- reading it ----------------------------------------------------------------------------


@dataclass
class Section:
    """One shared line as an officer reads it: label/value pairs and, for the figures, the
    months as a table."""

    line: str
    title: str
    pairs: list[tuple[str, str]]
    months: list[dict[str, str]] = field(default_factory=list)
    link: str = ""


def _money(amount: int | None) -> str:
    if amount is None:
        return "—"
    return format_money_for_language(Money(amount, "MAD"), get_language() or "fr")


def _percent(text: str) -> str:
    return f"{formats.number_format(Decimal(text), 1)} %"


def _day(iso: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(iso), "j F Y") if iso else "—"


def _month(iso: str) -> str:
    return formats.date_format(datetime.date.fromisoformat(iso), "YEAR_MONTH_FORMAT")


def _figures_section(data: dict[str, Any]) -> Section:
    pairs = [
        (_("Sales over 24 months"), _money(data["sales_amount"])),
        (_("Sales over the last 12 months"), _money(data["sales_12m_amount"])),
        (_("Net earnings after commission and refunds"), _money(data["net_amount"])),
        (_("Orders"), formats.number_format(data["orders_count"])),
        (_("Refund rate"), _percent(data["refund_rate_percent"])),
        (_("Sales abroad"), _percent(data["abroad_share_percent"])),
        (_("Months with sales (of 24)"), str(data["months_with_sales"])),
        (_("Money in escrow"), _money(data["escrow_amount"])),
        (_("Average payout"), _money(data["average_payout_amount"])),
    ]
    months = [
        {
            "month": _month(m["month"]),
            "sales": _money(m["sales"]),
            "orders": formats.number_format(m["orders"]),
            "refunds": _money(m["refunds"]),
            "net": _money(m["net"]),
        }
        for m in reversed(data["months"])
    ]
    return Section(ShareLine.FIGURES, _("Sales figures"), pairs, months)


def _attestation_section(data: dict[str, Any]) -> Section:
    figures = data["figures"]
    pairs = [
        (_("Verification code"), data["code"]),
        (
            _("Period"),
            _("%(first)s to %(last)s")
            % {"first": _month(data["first_month"]), "last": _month(data["last_month"])},
        ),
        (_("Sales"), _money(figures["sales_amount"])),
        (_("Orders"), str(figures["orders_count"])),
        (_("Refunds"), _money(figures["refunds_amount"])),
        (_("Net earnings after commission and refunds"), _money(figures["net_amount"])),
    ]
    link = reverse("banking:verify_code", kwargs={"code": data["code"]})
    return Section(ShareLine.ATTESTATION, _("Sales attestation"), pairs, link=link)


def _identity_section(data: dict[str, Any]) -> Section:
    categories = dict(Category.choices)
    qualifications = dict(Qualification.choices)
    statuses = dict(EntryStatus.choices)
    pairs = [
        (_("Name"), data["name_fr"]),
        (_("Name in Arabic"), data["name_ar"]),
        (_("National ID number (CIN)"), data["cin"] or "—"),
        (_("Date of birth"), _day(data["birth_date"])),
        (_("Register number"), data["register_number"]),
        (_("Category"), str(categories.get(data["category"], data["category"]))),
        (_("Qualification"), str(qualifications.get(data["qualification"], "—"))),
        (_("Trade"), data["trade"]),
        (_("Region"), data["region"]),
        (_("Province"), data["province"] or "—"),
        (_("Commune"), data["commune"] or "—"),
        (_("Registered on"), _day(data["registered_at"])),
        (_("Register entry"), str(statuses.get(data["register_status"], ""))),
        (_("ICE"), data["ice"] or "—"),
        (_("Shop"), data["shop"]),
    ]
    return Section(ShareLine.IDENTITY, _("Identity and register data"), pairs)


def _rib_section(data: dict[str, Any]) -> Section:
    return Section(ShareLine.RIB, _("Bank account (RIB)"), [(_("RIB"), data["rib"])])


_BUILDERS = {
    ShareLine.FIGURES: _figures_section,
    ShareLine.ATTESTATION: _attestation_section,
    ShareLine.IDENTITY: _identity_section,
    ShareLine.RIB: _rib_section,
}


def shared_sections(application: Application) -> list[Section]:
    """The shared lines of the frozen snapshot, in the active language; none unless the
    consent is active now."""
    if not application.consent_is_active():
        return []
    snapshot = application.snapshot
    return [
        _BUILDERS[ShareLine(line)](snapshot[line])
        for line in ShareLine.values
        if line in application.shared_lines and line in snapshot
    ]


# How a reading names the line: "Bank X viewed <your sales> on 3 March".
_READ_NAMES = {
    ShareLine.FIGURES: gettext_lazy("your sales"),
    ShareLine.ATTESTATION: gettext_lazy("your sales attestation"),
    ShareLine.IDENTITY: gettext_lazy("your identity and register data"),
    ShareLine.RIB: gettext_lazy("your RIB"),
}


def read_name(line: str) -> str:
    return str(_READ_NAMES[ShareLine(line)])


def line_labels(lines: Iterable[str]) -> list[str]:
    labels = dict(ShareLine.choices)
    return [str(labels[line]) for line in ShareLine.values if line in set(lines)]
