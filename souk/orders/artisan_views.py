"""The artisan's sales pages: the parcels to answer, prepare and ship, one parcel, its steps,
and the packing slip. Shipping the parcel is a step of souk.fulfilment (its views.ship).

Split from views.py, whose helpers (the step decorator, history, actions) they share.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from souk.accounts.models import User
from souk.core.machine import Actor
from souk.fulfilment import certificates
from souk.orders import documents, selectors, services
from souk.orders.models import (
    PaymentMethod,
    SubOrder,
    SubOrderStatus,
)
from souk.orders.views import _account, _actions_for, _history, _order_step, _reason
from souk.shipping import selectors as shipping_selectors

ARTISAN_TABS: tuple[tuple[str, list[SubOrderStatus]], ...] = (
    (
        "todo",
        [SubOrderStatus.PAID, SubOrderStatus.CASH_ON_DELIVERY, SubOrderStatus.RETURN_REQUESTED],
    ),
    ("preparing", [SubOrderStatus.ACCEPTED]),
    ("shipped", [SubOrderStatus.SHIPPED, SubOrderStatus.DELIVERED]),
    ("all", []),
)


@login_required
@require_safe
def artisan_list(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    tabs = dict(ARTISAN_TABS)
    tab = request.GET.get("tab", "todo")
    if tab not in tabs:
        tab = "todo"
    sub_orders = selectors.list_shop_sub_orders(user=user, statuses=tabs[tab])
    page = Paginator(sub_orders, 20).get_page(request.GET.get("page"))
    labels = {
        "todo": _("To answer"),
        "preparing": _("To prepare"),
        "shipped": _("On the way"),
        "all": _("All"),
    }
    return render(
        request,
        "orders/artisan_list.html",
        {"page": page, "tab": tab, "tabs": [(key, labels[key]) for key, _statuses in ARTISAN_TABS]},
    )


@login_required
@require_safe
def artisan_detail(request: HttpRequest, reference: str) -> HttpResponse:
    user = _account(request)
    try:
        sub_order = selectors.get_artisan_sub_order(user=user, reference=reference)
    except SubOrder.DoesNotExist as error:
        raise Http404 from error
    return render(
        request,
        "orders/artisan_detail.html",
        {
            "sub_order": sub_order,
            "order": sub_order.order,
            "actions": _actions_for(sub_order, user, Actor.ARTISAN),
            "history": _history(sub_order.order, sub_order),
            "messages_list": sub_order.messages.select_related("author"),
            "is_cash_on_delivery": sub_order.order.payment_method == PaymentMethod.CASH_ON_DELIVERY,
            "carrier": shipping_selectors.get_carrier(code=sub_order.carrier),
        },
    )


@_order_step(Actor.ARTISAN)
def artisan_accept(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.accept_sub_order(sub_order=sub_order, artisan=user)
    return _("Accepted. The buyer is told you are preparing the parcel.")


@_order_step(Actor.ARTISAN)
def artisan_decline(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.decline_sub_order(sub_order=sub_order, artisan=user, reason=_reason(request))
    return _("Declined. The buyer is refunded.")


@_order_step(Actor.ARTISAN)
def artisan_receive_return(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.receive_return(sub_order=sub_order, actor=user)
    return _("Return received. The buyer is refunded.")


@_order_step(Actor.ARTISAN)
def artisan_dispute(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.open_dispute(sub_order=sub_order, user=user, reason=_reason(request))
    return _("A moderator will look at this parcel and answer you.")


@_order_step(Actor.ARTISAN)
def artisan_message(request: HttpRequest, user: User, sub_order: SubOrder) -> str:
    services.send_message(sub_order=sub_order, author=user, body=str(request.POST.get("body", "")))
    return _("Message sent.")


@login_required
@require_safe
def packing_slip(request: HttpRequest, reference: str) -> HttpResponse:
    """The parcel's packing slip as a PDF, for the artisan to print and put in the box."""
    user = _account(request)
    try:
        sub_order = selectors.get_artisan_sub_order(user=user, reference=reference)
    except SubOrder.DoesNotExist as error:
        raise Http404 from error
    language = get_language() or "fr"
    buyer_language = sub_order.order.language
    pdf = documents.packing_slip(
        sub_order,
        language=language,
        certificates=[
            (
                certificate.order_line.title_in(buyer_language),
                certificate.code,
                certificates.public_url(certificate.code),
            )
            for certificate in certificates.list_for_sub_order(sub_order.pk)
        ],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="packing-slip-{sub_order.reference}.pdf"'
    return response
