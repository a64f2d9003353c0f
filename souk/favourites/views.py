"""The favourites pages: save and remove (a form that returns to its page, or htmx swapping
the button), the favourites page, the notices choice."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from souk.accounts.models import User
from souk.favourites import guest, live, selectors, services
from souk.favourites.errors import NotSaveable


def _account(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def _back(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("favourites:list")


def _answer(request: HttpRequest, *, kind: str, target_id: int, message: str) -> HttpResponse:
    live.forget(request)
    # Read again: the header's count (kept in the session) follows the change.
    count = live.saved_ids(request).count
    if request.headers.get("HX-Request"):
        # htmx swaps the button itself, and the header's count out of band.
        name = escape(selectors.get_shown_name(kind=kind, target_id=target_id))
        return render(
            request,
            "favourites/_button_swap.html",
            {
                "button": live.render_button(
                    request, kind=kind, target_id=target_id, name=name, next_path=_back(request)
                ),
                "count": count,
            },
        )
    messages.success(request, message)
    return redirect(_back(request))


@require_POST
def save(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    """Keep a piece or a shop: on the account, or in a guest's session."""
    if kind not in services.KINDS:
        raise Http404
    user = _account(request)
    if user is not None:
        services.save_favourite(user=user, kind=kind, target_id=target_id)
        message = _("Saved to your favourites.")
    else:
        if not selectors.is_saveable(kind=kind, target_id=target_id):
            raise NotSaveable
        guest.add(request.session, kind, target_id)
        message = _(
            "Saved in this browser. Log in or sign up to keep your favourites and be told "
            "when a piece is back in stock or its price drops."
        )
    return _answer(request, kind=kind, target_id=target_id, message=message)


@require_POST
def remove(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    if kind not in services.KINDS:
        raise Http404
    user = _account(request)
    if user is not None:
        services.remove_favourite(user=user, kind=kind, target_id=target_id)
    else:
        guest.remove(request.session, kind, target_id)
    return _answer(
        request, kind=kind, target_id=target_id, message=_("Removed from your favourites.")
    )


@require_GET
def favourite_list(request: HttpRequest) -> HttpResponse:
    """The visitor's saved pieces (price in their currency, availability) and shops."""
    user = _account(request)
    page = (
        selectors.list_favourites(user=user)
        if user is not None
        else selectors.list_favourites(
            user=None,
            piece_ids=guest.saved(request.session, "piece"),
            shop_ids=guest.saved(request.session, "shop"),
        )
    )
    return render(
        request,
        "favourites/list.html",
        {
            "page": page,
            "is_guest": user is None,
            "breadcrumbs": [(_("Home"), reverse("web:home")), (_("Favourites"), "")],
        },
    )


@login_required
@require_POST
def notices(request: HttpRequest) -> HttpResponse:
    """Turn "back in stock" and "price dropped" notices on or off."""
    user = cast(User, request.user)  # login_required
    wanted = request.POST.get("wanted") == "1"
    services.set_notices_wanted(user=user, wanted=wanted)
    messages.success(
        request,
        _("We will tell you when a saved piece is back in stock or its price drops.")
        if wanted
        else _("You will no longer be told when a saved piece is back in stock or cheaper."),
    )
    return redirect("favourites:list")
