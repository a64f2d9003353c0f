"""A guest's order through its signed link (guests.py): track it, confirm receipt, write to the
artisan; once paid, create an account from it, or add it to the account of the same email
after signing in. A link altered in any way is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.core.machine import Actor
from souk.notifications.services import absolute_url
from souk.orders import guests, services
from souk.orders.errors import OrderError
from souk.orders.forms import GuestAccountForm
from souk.orders.models import Order, OrderStatus, SubOrder
from souk.orders.views import _actions_for, _history, _receipt_actions


def _guest_order(request: HttpRequest, token: str) -> Order:
    """The order the link names, still its guest's; the session now knows the guest (the link
    is theirs: it was sent to their email). Http404 for an altered link."""
    reference, guest_id = guests.read_token(token)
    order = Order.objects.select_related("buyer").filter(reference=reference).first()
    if order is None or order.buyer_id != guest_id or not order.buyer.is_guest:
        raise Http404
    request.session[guests.GUEST_SESSION_KEY] = guest_id
    return order


GuestView = Callable[..., HttpResponse]


def _link_or_404(view: GuestView) -> GuestView:
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, token, **kwargs)
        except Order.DoesNotExist as error:
            raise Http404 from error

    return wrapper


def _attached_elsewhere(token: str) -> bool:
    """Whether the link's order moved to an account (then its own page, after log-in)."""
    reference, guest_id = guests.read_token(token)
    return (
        Order.objects.filter(reference=reference, buyer__is_guest=False).exists()
        and User.objects.filter(pk=guest_id, is_guest=True).exists()
    )


@_link_or_404
@require_safe
def guest_order(request: HttpRequest, token: str) -> HttpResponse:
    if _attached_elsewhere(token):
        reference, _guest = guests.read_token(token)
        return redirect("orders:detail", reference=reference)
    order = _guest_order(request, token)
    return render(request, "orders/order_detail.html", _context(request, order, token))


def _context(
    request: HttpRequest, order: Order, token: str, form: GuestAccountForm | None = None
) -> dict[str, Any]:
    guest = order.buyer
    parcels = [
        {
            "sub_order": sub_order,
            **_receipt_actions(_actions_for(sub_order, guest, Actor.BUYER), sub_order),
            "history": _history(order, sub_order),
            "messages": sub_order.messages.select_related("author"),
        }
        for sub_order in order.sub_orders.all()
    ]
    link = reverse("orders:guest_order", kwargs={"token": token})
    signed_in = request.user if isinstance(request.user, User) else None
    return {
        "order": order,
        "parcels": parcels,
        "is_payable": order.status == OrderStatus.AWAITING_PAYMENT,
        "guest": guest,
        "guest_token": token,
        "guest_link": link,
        "guest_link_absolute": absolute_url(link),
        "offer_account": order.placed_at is not None,
        "signed_in_owner": signed_in is not None
        and (signed_in.email or "").lower() == guest.guest_email.lower(),
        "account_exists": User.objects.filter(
            email__iexact=guest.guest_email, is_guest=False
        ).exists(),
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': link})}",
        "account_form": form or GuestAccountForm(user=guest),
    }


@_link_or_404
@require_POST
def guest_account(request: HttpRequest, token: str) -> HttpResponse:
    """Create the account from a paid guest order: the guest's email, a new password; the
    guest's orders move to it. An email that already has an account is never enough: its owner
    signs in first (guest_attach)."""
    order = _guest_order(request, token)
    guest = order.buyer
    if order.placed_at is None:
        raise Http404
    if User.objects.filter(email__iexact=guest.guest_email).exists():
        messages.error(
            request,
            _(
                "An account already uses this email address. Log in to it to add this order "
                "to your orders."
            ),
        )
        return redirect("orders:guest_order", token=token)
    form = GuestAccountForm(request.POST, user=guest)
    if not form.is_valid():
        return render(request, "orders/order_detail.html", _context(request, order, token, form))
    phone_free = not User.objects.filter(phone=guest.guest_phone).exists()
    account = accounts.register_user(
        full_name=guest.full_name,
        email=guest.guest_email,
        phone=guest.guest_phone if phone_free else None,
        password=form.cleaned_data["password1"],
        role=Role.BUYER,
        preferred_language=get_language() or "fr",
        preferred_currency=guest.preferred_currency,
    )
    guests.attach_orders(guest=guest, account=account)
    login(request, account, backend="souk.accounts.backends.EmailOrPhoneBackend")
    messages.success(request, _("Your account is ready; this order is in your orders."))
    return redirect("orders:detail", reference=order.reference)


@_link_or_404
@require_POST
def guest_attach(request: HttpRequest, token: str) -> HttpResponse:
    """Add the guest's orders to the signed-in account of the same email."""
    order = _guest_order(request, token)
    guest = order.buyer
    user = request.user if isinstance(request.user, User) else None
    if user is None or (user.email or "").lower() != guest.guest_email.lower():
        messages.error(
            request, _("Log in to the account of the email address given for this order.")
        )
        return redirect("orders:guest_order", token=token)
    guests.attach_orders(guest=guest, account=user)
    messages.success(request, _("This order is now in your orders."))
    return redirect("orders:detail", reference=order.reference)


def _guest_parcel(request: HttpRequest, token: str, reference: str) -> tuple[User, SubOrder]:
    order = _guest_order(request, token)
    sub_order = order.sub_orders.filter(reference=reference).first()
    if sub_order is None:
        raise Http404
    return order.buyer, sub_order


@_link_or_404
@require_POST
def guest_confirm_receipt(request: HttpRequest, token: str, reference: str) -> HttpResponse:
    guest, sub_order = _guest_parcel(request, token, reference)
    try:
        services.confirm_receipt(sub_order=sub_order, buyer=guest)
    except OrderError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Thank you! The artisan will be paid."))
    return redirect("orders:guest_order", token=token)


@_link_or_404
@require_POST
def guest_message(request: HttpRequest, token: str, reference: str) -> HttpResponse:
    guest, sub_order = _guest_parcel(request, token, reference)
    try:
        services.send_message(
            sub_order=sub_order, author=guest, body=str(request.POST.get("body", ""))
        )
    except OrderError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Message sent."))
    return redirect("orders:guest_order", token=token)
