"""Register pages: claim a register entry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from souk.accounts.models import User
from souk.core.client_ip import client_ip
from souk.registry import selectors, services
from souk.registry.errors import ClaimRefused
from souk.registry.forms import ClaimForm


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest) -> HttpResponse:
    """Ask for the register number and the CIN; a match links the account and opens a shop."""
    user = request.user
    if not isinstance(user, User):  # login_required lets only signed-in accounts through
        return redirect("accounts:login")
    if selectors.has_claimed_entry(user=user):
        return redirect("shops:mine")
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.claim_register_entry(
                user=user,
                register_number=form.cleaned_data["register_number"],
                cin=form.cleaned_data["cin"],
                ip_address=client_ip(request),
            )
        except ClaimRefused as refusal:
            # Shown on the form, so the artisan can correct a typo without losing the page.
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(
                request, _("Your register entry is linked to your account. Now set up your shop.")
            )
            return redirect("shops:mine")
    return render(request, "registry/claim.html", {"form": form}, status=status)
