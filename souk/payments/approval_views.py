"""The queue of refunds awaiting a second person (issue #13, defect 9).

One list for both kinds of RefundApproval: partial refunds of an order and the moderator's
parcel actions that give money back. Each links to its order's refund page, where another
person with the refund permission approves or rejects it (views.decide_refund).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from souk.accounts.models import User
from souk.core.money import Money, format_money_for_language
from souk.payments import selectors


@login_required
@require_safe
def refund_queue(request: HttpRequest) -> HttpResponse:
    """The refunds awaiting approval, oldest first; 404 for anyone without the permission."""
    if not isinstance(request.user, User) or not request.user.has_perm(selectors.REFUND_PERMISSION):
        raise Http404
    page = Paginator(selectors.list_awaiting_refund_approvals(), 30).get_page(
        request.GET.get("page")
    )
    language = get_language() or "fr"
    rows = [
        (item, format_money_for_language(Money(item.amount, item.currency), language))
        for item in page.object_list
    ]
    return render(request, "payments/refund_queue.html", {"page": page, "rows": rows})
