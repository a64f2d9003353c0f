"""Pages of the buyer's orders, and the helpers the artisan's and moderator's pages share
(cart_views.py has the cart and the checkout).

Views parse, authorise, call one service or selector and render. An order or parcel someone may
not see is a 404 (selectors decide). A refused step on an order page (OrderError) comes back as
a message on that page; other refusals go to DomainErrorMiddleware.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from souk.accounts.models import User
from souk.core.machine import Actor
from souk.orders import receipt, selectors, services
from souk.orders.errors import OrderError
from souk.orders.models import (
    SYSTEM_REASONS,
    Order,
    OrderStatus,
    SubOrder,
)
from souk.orders.services.transitions import SUBORDER_MACHINE, acts_as


def _account(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


# --- Buyer's orders ---------------------------------------------------------------------------


@login_required
@require_safe
def order_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.list_buyer_orders(_account(request)), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "orders/order_list.html", {"page": page})


def _history(order: Order, sub_order: SubOrder | None = None) -> list[dict[str, Any]]:
    return [
        {
            "event": event,
            "reason": SYSTEM_REASONS.get(event.reason, event.reason),
        }
        for event in selectors.list_events(order, sub_order)
    ]


def _actions_for(sub_order: SubOrder, user: User, role: Actor) -> list[str]:
    """The moves `user` may make on the parcel now, in `role` (checked once, not per move)."""
    if not acts_as(user=user, role=role, order=sub_order.order, sub_order=sub_order):
        return []
    return [transition.action for transition in SUBORDER_MACHINE.allowed(sub_order.status, role)]


def _receipt_actions(actions: list[str], sub_order: SubOrder) -> dict[str, Any]:
    """The buyer's moves, "I received it" only once it is possible (orders.receipt), and the
    date from which it will be when the carrier still has the parcel on its way."""
    if "confirm_receipt" not in actions or receipt.is_receipt_possible(sub_order):
        return {"actions": actions, "receipt_from": None}
    return {
        "actions": [action for action in actions if action != "confirm_receipt"],
        "receipt_from": receipt.receipt_possible_from(sub_order),
    }


@login_required
@require_safe
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _account(request)
    try:
        order = selectors.get_buyer_order(user=user, reference=reference)
    except Order.DoesNotExist as error:
        raise Http404 from error
    parcels = [
        {
            "sub_order": sub_order,
            **_receipt_actions(_actions_for(sub_order, user, Actor.BUYER), sub_order),
            "history": _history(order, sub_order),
            "messages": sub_order.messages.select_related("author"),
            "return_deadline": services.return_deadline(sub_order),
        }
        for sub_order in order.sub_orders.all()
    ]
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "parcels": parcels,
            "is_payable": order.status == OrderStatus.AWAITING_PAYMENT,
            "order_history": [
                item for item in _history(order) if item["event"].sub_order_id is None
            ],
        },
    )


StepView = Callable[[HttpRequest, User, SubOrder], str]


def _order_step(role: Actor) -> Callable[[StepView], Callable[[HttpRequest, str], HttpResponse]]:
    """A POST step on one parcel, taken in `role`: a refusal is shown as a message on the page
    it came from."""

    def decorate(view: StepView) -> Callable[[HttpRequest, str], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, reference: str) -> HttpResponse:
            user = _account(request)
            sub_order, page = _find_sub_order(user, reference, role)
            try:
                done = view(request, user, sub_order)
            except OrderError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, done)
            return redirect(page)

        return login_required(require_POST(wrapper))

    return decorate


def _find_sub_order(user: User, reference: str, role: Actor) -> tuple[SubOrder, str]:
    """The parcel as `role` sees it, and the page to go back to; 404 for anyone else."""
    try:
        if role == Actor.BUYER:
            sub_order = selectors.get_buyer_sub_order(user=user, reference=reference)
            return sub_order, reverse("orders:detail", args=[sub_order.order.reference])
        if role == Actor.ARTISAN:
            sub_order = selectors.get_artisan_sub_order(user=user, reference=reference)
            return sub_order, reverse("orders:artisan_detail", args=[reference])
        sub_order = selectors.get_moderated_sub_order(user=user, reference=reference)
        return sub_order, reverse("orders:moderation_detail", args=[reference])
    except SubOrder.DoesNotExist as error:
        raise Http404 from error


def _reason(request: HttpRequest) -> str:
    return str(request.POST.get("reason", ""))[:2000]


@_order_step(Actor.BUYER)
def buyer_confirm_receipt(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.confirm_receipt(sub_order=sub_order, buyer=user)
    return _("Thank you! The artisan will be paid.")


@_order_step(Actor.BUYER)
def buyer_request_return(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.request_return(
        sub_order=sub_order,
        buyer=user,
        reason=_reason(request),
        photos=request.FILES.getlist("photos"),
    )
    return _("Your return request was sent to the artisan.")


@_order_step(Actor.BUYER)
def buyer_dispute(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.open_dispute(sub_order=sub_order, user=user, reason=_reason(request))
    return _("A moderator will look at this parcel and answer you.")


@_order_step(Actor.BUYER)
def buyer_message(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.send_message(sub_order=sub_order, author=user, body=str(request.POST.get("body", "")))
    return _("Message sent.")


@login_required
@require_POST
def cancel_order(request: HttpRequest, reference: str) -> HttpResponse:
    user = _account(request)
    try:
        order = selectors.get_buyer_order(user=user, reference=reference)
    except Order.DoesNotExist as error:
        raise Http404 from error
    services.cancel_unpaid_order(order=order, buyer=user)
    messages.success(request, _("The order is cancelled; nothing was charged."))
    return redirect("orders:detail", reference=reference)


@login_required
@require_safe
def return_photo(request: HttpRequest, reference: str, photo_id: int) -> HttpResponse:
    """A photo sent with a return request: for the buyer, the shop's managers and moderators."""
    user = _account(request)
    for finder in (
        selectors.get_buyer_sub_order,
        selectors.get_artisan_sub_order,
        selectors.get_moderated_sub_order,
    ):
        try:
            sub_order = finder(user=user, reference=reference)
            break
        except SubOrder.DoesNotExist:
            continue
    else:
        raise Http404
    photo = sub_order.return_photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    with photo.image.open("rb") as stored:
        return HttpResponse(stored.read(), content_type="image/webp")
