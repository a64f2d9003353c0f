"""The artisan's banking pages: their money as a bank reads it, and the offers for them.

A person who manages no shop gets a 404 (as on the earnings page). Views parse, authorise,
call one service or selector, render.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from souk.accounts.models import User
from souk.banking import advances, chart, eligibility, errors, selectors, services
from souk.banking import attestation as attestations
from souk.banking.forms import AttestationForm, RepayForm, VerifyForm
from souk.banking.models import AdvanceStatus, Offer
from souk.core import delegation
from souk.core.addresses.countries import country_name
from souk.core.money import Money, format_money_for_language
from souk.shops.models import Shop


def _account(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _money(amount: int | None) -> str:
    if amount is None:
        return "—"
    return format_money_for_language(Money(amount, "MAD"), get_language() or "fr")


def _percent(value: Decimal) -> str:
    return f"{number_format(value, 1)} %"


def _chosen_shop(request: HttpRequest) -> tuple[Shop, list[Shop]]:
    """The shop asked for (?shop=) among those the user manages, else their first; 404 if
    they manage none or ask for another's. Refused to an advisor acting for the artisan: the
    artisan alone looks at offers and shares figures with a bank (core/delegation.py)."""
    delegation.refuse_when_assisted(delegation.BANK_REFUSED)
    shops = selectors.list_managed_shops(user=_account(request))
    if not shops:
        raise Http404
    wanted = request.GET.get("shop", "")
    for shop in shops:
        if not wanted or str(shop.pk) == wanted:
            return shop, shops
    raise Http404


@login_required
@require_safe
def money(request: HttpRequest) -> HttpResponse:
    """Sales by month over 24 months (chart and table) and the figures a bank reads."""
    shop, shops = _chosen_shop(request)
    profile = selectors.get_money_profile(shop_id=shop.pk)
    months = [m.month for m in profile.months]
    amounts = [m.sales_amount for m in profile.months]
    svg = chart.sales_chart(
        months=months,
        amounts=amounts,
        title=_("Sales by month over the last 24 months"),
        peak_label=_money(max(amounts)) if any(amounts) else "",
        right_to_left=get_language_bidi(),
    )
    figures = [
        (_("Sales over 24 months"), _money(profile.sales_amount)),
        (_("Net earnings after commission and refunds"), _money(profile.net_amount)),
        (_("Orders"), number_format(profile.orders_count)),
        (_("Refund rate"), _percent(profile.refund_rate_percent)),
        (_("Sales abroad"), _percent(profile.abroad_share_percent)),
        (_("Months with sales (of 24)"), number_format(profile.months_with_sales)),
        (_("Money in escrow"), _money(profile.escrow_amount)),
        (_("Average payout"), _money(profile.average_payout_amount)),
    ]
    rows = [
        {
            "month": date_format(m.month, "F Y"),
            "sales": _money(m.sales_amount),
            "orders": number_format(m.orders_count),
            "refunds": _money(m.refunds_amount),
            "net": _money(m.net_amount),
        }
        for m in reversed(profile.months)
    ]
    countries = [
        {
            "name": country_name(c.country),
            "sales": _money(c.sales_amount),
            "orders": number_format(c.orders_count),
            "share": _percent(c.share_percent),
        }
        for c in profile.countries
    ]
    advance_cards = [
        {
            "bank": progress.advance.bank.name,
            "reference": progress.advance.reference,
            "status": progress.advance.get_status_display(),
            "terms": [
                (_("Funded on"), date_format(progress.advance.funded_at, "j F Y")),
                (_("Principal"), _money(progress.advance.principal_amount)),
                (_("Flat fee"), _money(progress.advance.fee_amount)),
                (_("Share withheld from each release"), _percent(progress.advance.share_percent)),
                (_("Withheld so far"), _money(progress.withheld)),
                (_("Settled with the bank directly"), _money(progress.settled_outside)),
                (_("Still to repay"), _money(progress.remaining)),
            ],
            "percent_repaid": progress.percent_repaid,
            "is_repaying": progress.advance.status == AdvanceStatus.REPAYING,
        }
        for progress in advances.list_progress(shop_id=shop.pk)
    ]
    return render(
        request,
        "banking/money.html",
        {
            "shop": shop,
            "shops": shops,
            "advances": advance_cards,
            "chart": svg,
            "figures": figures,
            "rows": rows,
            "countries": countries,
        },
    )


def offer_terms(offer: Offer) -> list[tuple[str, str]]:
    """The offer's terms that apply, as label and value, in the page's language."""
    terms: list[tuple[str, str]] = []
    for label, amount in (
        (_("Opening fee"), offer.opening_fee_amount),
        (_("Monthly fee"), offer.monthly_fee_amount),
        (_("Up to"), offer.max_amount),
        (_("Total cost of credit"), offer.total_cost_amount),
        (_("Flat fee"), offer.flat_fee_amount),
    ):
        if amount is not None:
            terms.append((label, _money(amount)))
    if offer.annual_rate_percent is not None:
        terms.append((_("Annual percentage rate"), _percent(offer.annual_rate_percent)))
    if offer.withheld_percent is not None:
        terms.append((_("Share withheld from each payout"), _percent(offer.withheld_percent)))
    if offer.valid_until is not None:
        terms.append((_("Valid until"), date_format(offer.valid_until, "j F Y")))
    return terms


@login_required
@require_safe
def offers(request: HttpRequest) -> HttpResponse:
    """Published offers, each with "you qualify" or what is missing, computed now."""
    shop, shops = _chosen_shop(request)
    published = list(selectors.list_published_offers())
    verdicts = {v.offer_id: v for v in services.compute_eligibility(shop=shop, offers=published)}
    cards = []
    for offer in published:
        verdict = verdicts[offer.pk]
        cards.append(
            {
                "offer": offer,
                "kind": offer.get_kind_display(),
                "terms": offer_terms(offer),
                "is_eligible": verdict.is_eligible,
                "missing": [
                    eligibility.describe(eligibility.Missing.from_data(item))
                    for item in verdict.missing
                ],
            }
        )
    cards.sort(key=lambda card: not card["is_eligible"])
    return render(request, "banking/offers.html", {"shop": shop, "shops": shops, "cards": cards})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attestation(request: HttpRequest) -> HttpResponse:
    """Choose a period; the signed PDF of the shop's sales over it is downloaded."""
    shop, shops = _chosen_shop(request)
    months = selectors.last_months(12)
    form = AttestationForm(
        request.POST or None, initial={"first_month": months[0], "last_month": months[-1]}
    )
    if request.method == "POST" and form.is_valid():
        issued, pdf = attestations.issue_attestation(
            shop=shop,
            user=_account(request),
            first=form.cleaned_data["first_month"],
            last=form.cleaned_data["last_month"],
            language=get_language() or "fr",
            site_url=settings.SOUK_SITE_URL,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="attestation-{issued.code}.pdf"'
        return response
    return render(request, "banking/attestation.html", {"shop": shop, "shops": shops, "form": form})


def _verdict_page(request: HttpRequest, form: VerifyForm, found: Any, verdict: str) -> HttpResponse:
    lines = attestations.figure_lines(found, get_language() or "fr") if found else []
    return render(
        request,
        "banking/verify.html",
        {"form": form, "verdict": verdict, "lines": lines, "attestation": found},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Public: check an attestation by its code or by its file."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _verdict_page(request, form, None, "")
    upload = form.cleaned_data.get("file")
    if upload is not None:
        result = attestations.verify_file(upload.read())
        return _verdict_page(request, form, result.attestation, result.verdict.value)
    found = attestations.find_by_code(form.cleaned_data["code"])
    return _verdict_page(request, form, found, "genuine" if found else "unknown")


@require_safe
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Public: what the attestation of this code attests (the QR's address)."""
    found = attestations.find_by_code(code)
    return _verdict_page(request, VerifyForm(), found, "genuine" if found else "unknown")


@require_safe
def public_key(request: HttpRequest) -> HttpResponse:
    """Souk's public key for attestations, for banks that verify files offline."""
    return HttpResponse(attestations.public_key_pem(), content_type="application/x-pem-file")


@login_required
@require_http_methods(["GET", "POST"])
def repay(request: HttpRequest, reference: str) -> HttpResponse:
    """Confirm, then repay early: at most what is owed, from the available balance."""
    delegation.refuse_when_assisted(delegation.BANK_REFUSED)
    user = _account(request)
    advance = advances.get_shop_advance(user=user, reference=reference)
    [progress] = [
        p for p in advances.list_progress(shop_id=advance.shop_id) if p.advance == advance
    ]
    available = advances.available_to_repay(advance=advance)
    suggested = min(progress.remaining, available)
    form = RepayForm(request.POST or None, initial={"amount": f"{suggested / 100:.2f}"})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            repaid = advances.repay_early(
                advance=advance, by=user, amount=form.amount_minor(), exact=True
            )
        except (errors.BalanceTooShort, errors.NothingToRepay, errors.AdvanceNotRepaying) as e:
            error = str(e.message)
        else:
            messages.success(
                request,
                _("%(amount)s repaid to %(bank)s; the bank is paid in the next payout run.")
                % {"amount": _money(repaid.amount), "bank": advance.bank.name},
            )
            return redirect(reverse("banking:money") + f"?shop={advance.shop_id}#advances")
    return render(
        request,
        "banking/repay_advance.html",
        {
            "advance": advance,
            "is_repaying": advance.status == AdvanceStatus.REPAYING,
            "remaining": _money(progress.remaining),
            "available": _money(available),
            "form": form,
            "error": error,
        },
    )
