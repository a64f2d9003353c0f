"""The moderators' parcel pages: the queue, one parcel, its steps and messages.

Split from views.py, whose helpers (the step decorator, history, actions) they share.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from souk.accounts.models import User
from souk.core.machine import Actor
from souk.orders import selectors, services
from souk.orders.models import SubOrder, SubOrderStatus
from souk.orders.views import _account, _actions_for, _history, _order_step, _reason
from souk.payments import refund_approvals
from souk.payments.models import RefundApproval


def _require_moderator(request: HttpRequest) -> User:
    user = _account(request)
    if not user.has_perm(selectors.MODERATE_PERMISSION):
        raise PermissionDenied
    return user


@login_required
@require_safe
def moderation_list(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    query = request.GET.get("q", "")[:100]
    status = request.GET.get("status", "" if query else SubOrderStatus.DISPUTED)
    if status and status not in SubOrderStatus.values:
        status = ""
    page = Paginator(
        selectors.search_sub_orders_for_moderation(query=query, status=status), 30
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "orders/moderation_list.html",
        {"page": page, "query": query, "status": status, "statuses": SubOrderStatus.choices},
    )


@login_required
@require_safe
def moderation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _require_moderator(request)
    try:
        sub_order = selectors.get_moderated_sub_order(user=user, reference=reference)
    except SubOrder.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "orders/moderation_detail.html",
        {
            "sub_order": sub_order,
            "order": sub_order.order,
            "commission": selectors.get_commission_due(sub_order),
            "actions": _actions_for(sub_order, user, Actor.MODERATOR),
            "history": _history(sub_order.order, sub_order),
            "messages_list": sub_order.messages.select_related("author"),
            "return_photos": sub_order.return_photos.all(),
        },
    )


@_order_step(Actor.MODERATOR)
def moderator_step(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    action = request.POST.get("action", "")
    reason = _reason(request)
    steps: dict[str, Callable[[], Any]] = {
        # Four eyes above SOUK_REFUND_APPROVAL_ABOVE (payments.refund_approvals).
        "force_refund": lambda: refund_approvals.ask_parcel_action(
            action="force_refund", sub_order=sub_order, moderator=user, reason=reason
        ),
        "force_cancel": lambda: services.force_cancel(
            sub_order=sub_order, moderator=user, reason=reason
        ),
        "resolve": lambda: services.resolve_dispute(
            sub_order=sub_order, moderator=user, reason=reason
        ),
        "deliver": lambda: services.mark_delivered(sub_order=sub_order, moderator=user),
        "receive_return": lambda: refund_approvals.ask_parcel_action(
            action="receive_return", sub_order=sub_order, moderator=user, reason=reason
        ),
    }
    if action not in steps:
        raise Http404
    if isinstance(steps[action](), RefundApproval):
        return _("The refund awaits the approval of a second person.")
    return _("Done.")


@_order_step(Actor.MODERATOR)
def moderator_message(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.send_message(sub_order=sub_order, author=user, body=str(request.POST.get("body", "")))
    return _("Message sent.")
