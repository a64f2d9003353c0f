"""The "acting for" mode of a signed-in advisor (docs/support.md, assisted mode).

While the session names an artisan and the permission is in force (support/assistance.py
`in_force`, checked on every request), the artisan is `request.user` for the pages an advisor
may use on their behalf — the shop's profile and photos, the listings, the buyers' messages
on their sales — and the advisor is
`request.acting_advisor`. Everything else is refused with a 403 page, except the pages that
refuse it themselves (payout destination, KYC documents, earnings, bank pages: their own check
in the page and its service, core/delegation.py). Every request that changes something, or is
refused, is written to the audit log as "advisor X for artisan Y" and shown to the artisan.

When the permission ended or expired the mode stops at the next request: the advisor is back
to themselves, told why, and the artisan's pages are theirs again (404 to the advisor).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from souk.accounts.models import User
from souk.core import delegation
from souk.support import assistance as assisting
from souk.support.errors import AssistanceNotAllowed

SESSION_KEY = "support_acting_for"

# What an advisor may open for the artisan: registered in core/delegation.py at start-up
# (apps.py), which this middleware and the templates (`may_open`) both ask.
ALLOWED_PAGES = frozenset(
    {
        "web:home",
        "public_media",
        "shops:mine",
        "shops:index",
        "shops:detail",
        "shops:dashboard",
        "shops:edit_profile",
        "shops:photos",
        "shops:reorder_photos",
        "shops:remove_photo",
        "shops:move_photo",
        "shops:submit",
        "catalog:listings",
        "catalog:create",
        "catalog:edit",
        "catalog:photos",
        "catalog:reorder_photos",
        "catalog:remove_photo",
        "catalog:move_photo",
        "catalog:variants",
        "catalog:edit_variant",
        "catalog:deactivate_variant",
        "catalog:reactivate_variant",
        "catalog:change_status",
        "catalog:detail",
        # The artisan's sales, to read and answer the buyers' messages: no other step on
        # orders (accept, decline, ship, returns, disputes, packing slip stay refused).
        "orders:artisan_list",
        "orders:artisan_detail",
        "orders:artisan_message",
        "support:stop_acting",
    }
)
# Pages that refuse an advisor themselves, with their own message (core/delegation.py).
SELF_REFUSING_PAGES = frozenset(
    {
        "shops:edit_payout",
        "shops:documents",
        "shops:kyc_document",
        "ledger:earnings",
        "ledger:statement",
        "banking:money",
        "banking:offers",
        "banking:attestation",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _page_name(request: HttpRequest) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


class ActingForMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        wanted = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        advisor = getattr(request, "user", None)
        if not wanted or not isinstance(advisor, User):
            return self.get_response(request)
        try:
            permission = assisting.in_force(advisor_user=advisor, artisan_id=int(wanted))
        except AssistanceNotAllowed as refusal:
            del request.session[SESSION_KEY]
            messages.warning(request, str(refusal.message))
            return self.get_response(request)
        page = _page_name(request)
        who = delegation.Acting(
            advisor_id=advisor.pk, artisan_id=permission.artisan_id, assistance_id=permission.pk
        )
        request.acting_advisor = advisor  # type: ignore[attr-defined]
        request.acting_assistance = permission  # type: ignore[attr-defined]
        with delegation.acting(who):
            if not delegation.may_open(page) and page not in SELF_REFUSING_PAGES:
                response = render(
                    request,
                    "core/domain_error.html",
                    {"error": delegation.ForbiddenWhenAssisted(_not_for_advisors())},
                    status=403,
                )
            else:
                request.user = permission.artisan
                response = self.get_response(request)
            changed = request.method not in SAFE_METHODS and page != "support:stop_acting"
            if changed or response.status_code >= 400:
                assisting.record_action(
                    assistance=permission,
                    url_name=page,
                    method=request.method or "",
                    path=request.path,
                    status=response.status_code,
                )
        return response


def _not_for_advisors() -> str:
    return _(
        "While you act for an artisan you can only prepare their shop and their listings and "
        "answer their buyers' messages. Stop acting for them to use your own pages."
    )
