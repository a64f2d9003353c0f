"""Pages of partner banks' officers (their bank's offers only) and of the administrators who
approve offers before artisans see them.

An officer reaches only its own bank's offers: another bank's offer id is a 404, as is every
page for someone who is not an officer. Approving needs `banking.approve_offer` (403 else).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts.models import User
from souk.banking import selectors, services
from souk.banking.forms import OfferForm, RefuseOfferForm
from souk.banking.models import Offer
from souk.banking.views import offer_terms


def _account(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


@login_required
@require_safe
def bank_offers(request: HttpRequest) -> HttpResponse:
    bank = selectors.get_officer_bank(user=_account(request))
    return render(
        request,
        "banking/bank_offers.html",
        {"bank": bank, "offers": selectors.list_bank_offers(bank=bank)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_offer(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    bank = selectors.get_officer_bank(user=user)
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        offer = services.create_offer(officer=user, bank=bank, values=form.offer_values())
        messages.success(request, _("The offer is saved as a draft."))
        return redirect("banking:bank_offer", offer_id=offer.pk)
    return render(request, "banking/offer_form.html", {"bank": bank, "form": form, "offer": None})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bank_offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    """One offer of the officer's bank: its form while editable, else what it says."""
    user = _account(request)
    bank = selectors.get_officer_bank(user=user)
    offer = selectors.get_bank_offer(bank=bank, offer_id=offer_id)
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        services.update_offer(officer=user, offer=offer, values=form.offer_values())
        messages.success(request, _("The offer is saved."))
        return redirect("banking:bank_offer", offer_id=offer.pk)
    offer = selectors.get_bank_offer(bank=bank, offer_id=offer_id)
    return render(
        request,
        "banking/offer_form.html",
        {"bank": bank, "form": form, "offer": offer, "terms": offer_terms(offer)},
    )


@login_required
@require_POST
def move_bank_offer(request: HttpRequest, offer_id: int, action: str) -> HttpResponse:
    """Submit an offer for approval, or withdraw it (back to draft)."""
    user = _account(request)
    bank = selectors.get_officer_bank(user=user)
    offer = selectors.get_bank_offer(bank=bank, offer_id=offer_id)
    if action not in {"submit", "withdraw"}:
        raise PermissionDenied
    services.move_offer(offer=offer, action=action, actor=user)
    messages.success(
        request,
        _("The offer is sent for approval.")
        if action == "submit"
        else _("The offer is a draft again."),
    )
    return redirect("banking:bank_offer", offer_id=offer.pk)


def _administrator(request: HttpRequest) -> User:
    user = _account(request)
    if not user.has_perm(services.APPROVE_PERMISSION):
        raise PermissionDenied
    return user


@login_required
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    return render(
        request,
        "banking/review_queue.html",
        {"offers": selectors.list_offers_awaiting_approval()},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_offer(request: HttpRequest, offer_id: int) -> HttpResponse:
    user = _administrator(request)
    offer: Offer = selectors.get_offer_for_review(offer_id=offer_id)
    refuse_form = RefuseOfferForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "approve":
            services.move_offer(offer=offer, action="approve", actor=user)
            messages.success(request, _("The offer is approved: artisans see it now."))
            return redirect("banking:review_queue")
        if refuse_form.is_valid():
            services.move_offer(
                offer=offer, action="refuse", actor=user, reason=refuse_form.cleaned_data["reason"]
            )
            messages.success(request, _("The offer is refused; the bank sees your reason."))
            return redirect("banking:review_queue")
    return render(
        request,
        "banking/review_offer.html",
        {"offer": offer, "terms": offer_terms(offer), "refuse_form": refuse_form},
    )
