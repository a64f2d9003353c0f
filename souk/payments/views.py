"""The buyer's payment pages and the gateways' server-to-server callbacks.

Views parse, authorise, call one service or selector and render. The browser's return from the
card page never marks anything paid: it verifies the signed fields and shows the state the
callback produced (or "confirming" with a polling fragment until it arrives).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from souk.accounts.models import User
from souk.core.middleware import CONTENT_SECURITY_POLICY
from souk.core.money import Money, format_money_for_language
from souk.orders import guests
from souk.orders import selectors as orders
from souk.orders.models import Order
from souk.payments import refund_approvals, selectors, services
from souk.payments.forms import PartialRefundForm, RefundDecisionForm, WalletPushForm
from souk.payments.gateways import cmi, registry, wallet
from souk.payments.gateways.base import Verdict
from souk.payments.gateways.cmi_protocol import CallbackReply
from souk.payments.models import RefundApproval, RefundApprovalStatus
from souk.payments.selectors import PaymentStage

POLL_SECONDS = 3
# The largest callback body read (a genuine one is a few kilobytes): larger ones get 413.
MAX_CALLBACK_BYTES = 64 * 1024
logger = logging.getLogger("souk.payments")
ViewFunction = Callable[[HttpRequest], HttpResponse]
ViewFunctionWithReference = Callable[[HttpRequest, str], HttpResponse]


def buyer_pages(view: ViewFunctionWithReference) -> ViewFunctionWithReference:
    """A page of the order's buyer: signed in, or the guest of this session (orders.guests);
    anyone else is asked to log in."""

    @wraps(view)
    def wrapper(request: HttpRequest, reference: str) -> HttpResponse:
        if guests.buyer_of(request.user, request.session) is None:
            return redirect_to_login(request.get_full_path())
        return view(request, reference)

    return wrapper


def _buyer_order(request: HttpRequest, reference: str) -> Order:
    buyer = guests.buyer_of(request.user, request.session)
    if buyer is None:
        raise Http404
    try:
        return orders.get_buyer_order(user=buyer, reference=reference)
    except Order.DoesNotExist as error:
        raise Http404 from error


def order_page_url(order: Order) -> str:
    if order.buyer.is_guest:
        # A guest's order page is its signed link; it offers the account after payment.
        return guests.order_link(order)
    try:
        return reverse("orders:detail", kwargs={"reference": order.reference})
    except NoReverseMatch:
        # The orders pages are not mounted (yet): the payment page says it all.
        return reverse("payments:pay", args=[order.reference])


def _allow_form_to(response: HttpResponse, url: str) -> HttpResponse:
    """Let this page post its form to `url`'s host (the gateway), on top of our own policy."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {origin}"
    )
    return response


def on_a_phone(request: HttpRequest) -> bool:
    """Whether the page is read on a phone: the "Mobi" token every mobile browser puts in its
    User-Agent (MDN's advice). Decided on the server so the page leads with the right action
    before any script; a narrow desktop window still gets the QR first (docs/payments.md)."""
    return "Mobi" in request.headers.get("User-Agent", "")


def _qr_svg(payload: str) -> str:
    code = segno.make(payload, error="m", micro=False)
    return str(code.svg_inline(scale=4, border=2, omitsize=True, title=_("Payment QR code")))


def _context(order: Order, state: selectors.PaymentState) -> dict[str, object]:
    return {
        "order": order,
        "state": state,
        "stages": PaymentStage,
        "order_url": order_page_url(order),
        "amount": format_money_for_language(
            Money(order.total_amount, order.currency), get_language() or "fr"
        ),
        "poll_seconds": POLL_SECONDS,
    }


@buyer_pages
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, reference: str) -> HttpResponse:
    """The pay page of one order, for its buyer: card form, wallet QR, or cash on delivery."""
    order = _buyer_order(request, reference)
    state = selectors.get_payment_state(order)
    context = _context(order, state)
    if state.stage in (PaymentStage.PAID, PaymentStage.CASH_ON_DELIVERY, PaymentStage.CLOSED):
        return render(request, "payments/pay.html", context)
    if order.payment_method == "cod":
        if request.method == "POST":
            services.confirm_cash_on_delivery(order=order)
            messages.success(request, _("Your order is confirmed. You pay when it is delivered."))
            return redirect(order_page_url(order))
        return render(request, "payments/pay.html", context)
    # After a failure the buyer chooses to try again (a POST): no automatic second attempt.
    if state.stage == PaymentStage.FAILED and request.method != "POST":
        return render(request, "payments/pay.html", context)
    opened = services.open_payment(order=order, language=get_language() or "fr")
    start = opened.start
    context["start"] = start
    context["state"] = selectors.payment_state_of(order, opened.intent, opened.attempt)
    if start.kind == "qr":
        context["qr_svg"] = mark_safe(_qr_svg(start.qr_payload))  # noqa: S308  # segno's own SVG of our payload
        context["push_form"] = WalletPushForm(initial={"phone": order.buyer.reach_phone})
        context["on_a_phone"] = on_a_phone(request)
        context["app_link"] = wallet.app_link(start.qr_payload)
        return render(request, "payments/pay.html", context)
    response = render(request, "payments/pay.html", context)
    return _allow_form_to(response, start.url)


@buyer_pages
@require_GET
def status(request: HttpRequest, reference: str) -> HttpResponse:
    """The small fragment the pages poll until the gateway's callback has decided."""
    order = _buyer_order(request, reference)
    return render(
        request, "payments/_status.html", _context(order, selectors.get_payment_state(order))
    )


@buyer_pages
@require_GET
def payment_return(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the buyer lands back from the card page: the state, or "confirming"."""
    order = _buyer_order(request, reference)
    return render(
        request, "payments/return.html", _context(order, selectors.get_payment_state(order))
    )


@csrf_exempt
@require_POST
def cmi_return(request: HttpRequest) -> HttpResponse:
    """CMI posts the browser back here with signed fields: check them, then show the state."""
    reference = selectors.get_returning_order_reference(fields=request.POST.dict())
    if reference is None:
        return render(request, "payments/return_invalid.html", status=400)
    return redirect(reverse("payments:return", args=[reference]), permanent=False)


@buyer_pages
@require_POST
def wallet_push(request: HttpRequest, reference: str) -> HttpResponse:
    """Send a payment request to the buyer's wallet app."""
    order = _buyer_order(request, reference)
    form = WalletPushForm(request.POST)
    if form.is_valid():
        services.request_wallet_push(order=order, phone=form.cleaned_data["phone"])
        messages.success(request, _("Request sent. Approve it in your wallet app."))
    else:
        messages.error(request, _("Enter your wallet's mobile number."))
    return redirect("payments:pay", reference=order.reference)


def _plain(reply: str, *, status: int = 200) -> HttpResponse:
    return HttpResponse(reply, content_type="text/plain; charset=utf-8", status=status)


def _declared_length(request: HttpRequest) -> int | None:
    """The body's declared length; None when Content-Length is not a number (Django itself
    would raise a ValueError, a 500, on reading such a body)."""
    text = str(request.META.get("CONTENT_LENGTH") or "0").strip()
    return int(text) if text.isascii() and text.isdigit() else None


def callback_body_capped(gateway_code: str) -> Callable[[ViewFunction], ViewFunction]:
    """Refuse a callback whose body passes MAX_CALLBACK_BYTES with 413 and the gateway's
    rejection reply, before anything is read or stored (an unreadable Content-Length: 400).
    Django's WSGI request reads no more than the declared Content-Length, so checking the
    declaration bounds what is read."""

    def decorate(view: ViewFunction) -> ViewFunction:
        @wraps(view)
        def capped(request: HttpRequest) -> HttpResponse:
            size = _declared_length(request)
            if size is None or size > MAX_CALLBACK_BYTES:
                logger.warning(
                    "Callback to %s refused: Content-Length %s, at most %d",
                    request.path,
                    "unreadable" if size is None else size,
                    MAX_CALLBACK_BYTES,
                )
                rejection = registry.get_gateway(gateway_code).reply(Verdict.REJECTED)
                return _plain(rejection, status=400 if size is None else 413)
            return view(request)

        return capped

    return decorate


@csrf_exempt
@require_POST
@callback_body_capped(cmi.CODE)
def cmi_callback(request: HttpRequest) -> HttpResponse:
    """CMI's server-to-server confirmation; the body of our answer is the bare reply text.
    Every posted field goes to the service as it came, a name posted twice included."""
    size = len(request.body)
    try:
        pairs = [(name, value) for name, values in request.POST.lists() for value in values]
    except MultiPartParserError:
        logger.warning("CMI callback refused: an unreadable multipart body (%d bytes)", size)
        return _plain(str(CallbackReply.FAILURE), status=400)
    return _plain(services.handle_cmi_callback(params=pairs, size=size))


@csrf_exempt
@require_POST
@callback_body_capped(wallet.CODE)
def wallet_callback(request: HttpRequest) -> HttpResponse:
    """The wallet's signed server-to-server confirmation."""
    reply = services.handle_wallet_callback(
        body=request.body, signature=request.headers.get(wallet.SIGNATURE_HEADER, "")
    )
    return _plain(reply, status=400 if reply == "rejected" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def refund(request: HttpRequest, reference: str) -> HttpResponse:
    """A moderator refunds part (or all) of an order's payment; everyone else gets a 404.

    Above SOUK_REFUND_APPROVAL_ABOVE the refund waits for another moderator's approval, given
    on this page (refund_approvals.py)."""
    user = _refunder(request)
    try:
        order = selectors.get_order_to_refund(reference=reference)
    except Order.DoesNotExist as error:
        raise Http404 from error
    form = PartialRefundForm(request.POST or None, currency=order.currency)
    if request.method == "POST" and form.is_valid():
        outcome = refund_approvals.request_refund(
            order=order,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            key=form.cleaned_data["key"],
            actor=user,
        )
        if isinstance(outcome, RefundApproval):
            messages.success(request, _("The refund awaits the approval of a second person."))
        else:
            messages.success(request, _("The refund is requested."))
        return redirect("payments:refund", reference=order.reference)
    language = get_language() or "fr"
    state = selectors.get_payment_state(order)
    refunds = [
        (item, format_money_for_language(Money(item.amount, item.currency), language))
        for item in selectors.list_refunds(order)
    ]
    approvals = [
        (item, format_money_for_language(Money(item.amount, item.currency), language))
        for item in selectors.list_refund_approvals(order)
    ]
    return render(
        request,
        "payments/refund.html",
        {
            "order": order,
            "intent": state.intent,
            "form": form,
            "refunds": refunds,
            "approvals": approvals,
            "awaiting": RefundApprovalStatus.AWAITING,
            "paid": format_money_for_language(
                Money(state.intent.amount if state.intent else 0, order.currency), language
            ),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def decide_refund(request: HttpRequest, reference: str, approval_id: int) -> HttpResponse:
    """Another moderator approves or rejects a large refund awaiting approval."""
    user = _refunder(request)
    approval = selectors.list_refund_approvals_of_reference(reference).filter(pk=approval_id)
    if not approval.exists():
        raise Http404
    form = RefundDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to reject the refund."))
    elif form.cleaned_data["decision"] == RefundDecisionForm.APPROVE:
        refund_approvals.approve_refund(approval_id=approval_id, actor=user)
        messages.success(request, _("The refund is approved and requested."))
    else:
        refund_approvals.reject_refund(approval_id=approval_id, actor=user)
        messages.success(request, _("The refund is rejected: nothing was given back."))
    return redirect("payments:refund", reference=reference)


def _refunder(request: HttpRequest) -> User:
    if not isinstance(request.user, User) or not request.user.has_perm(selectors.REFUND_PERMISSION):
        raise Http404
    return request.user
