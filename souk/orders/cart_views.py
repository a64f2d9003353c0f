"""Pages of the cart and the checkout, for any visitor: a signed-in buyer, or a guest who
gives an email and a phone (guests.py).

Views parse, authorise, call one service or selector and render; the cart of a guest is kept in
the session until they sign in (receivers.merge_cart_at_login).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts import services as accounts
from souk.accounts import throttle
from souk.accounts.models import User
from souk.core.addresses.forms import AddressForm
from souk.core.client_ip import client_ip
from souk.core.money import format_money_for_language
from souk.orders import guests, selectors, services
from souk.orders.errors import CartChanged, CartEmpty, CashOnDeliveryNeedsAccount, OrderError
from souk.orders.forms import (
    CartQuantityForm,
    GuestContactForm,
    PaymentChoiceForm,
)
from souk.orders.models import (
    Cart,
    PaymentMethod,
)
from souk.orders.receivers import CART_SESSION_KEY
from souk.shipping.quotes import NoCarrier


def _user_or_none(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def current_cart(request: HttpRequest) -> Cart:
    """The visitor's cart: their account's, or the guest cart kept in the session."""
    cart = services.get_or_create_cart(
        user=_user_or_none(request), cart_id=request.session.get(CART_SESSION_KEY)
    )
    if cart.user_id is None:
        request.session[CART_SESSION_KEY] = cart.pk
    return cart


def _back_to(request: HttpRequest, fallback: str) -> HttpResponse:
    return redirect(request.POST.get("next") or fallback)


# --- Cart -------------------------------------------------------------------------------------


@require_safe
def cart(request: HttpRequest) -> HttpResponse:
    view = selectors.get_cart_view(current_cart(request))
    return render(request, "orders/cart.html", {"cart": view})


@require_POST
def add_to_cart(request: HttpRequest) -> HttpResponse:
    form = CartQuantityForm(request.POST)
    if not form.is_valid():
        raise Http404
    item = services.add_to_cart(
        cart=current_cart(request),
        product_id=form.cleaned_data["product"],
        quantity=max(form.cleaned_data["quantity"] or 1, 1),
        variant_id=form.cleaned_data["variant"],
    )
    title = item.product.title
    if item.variant is not None:
        title = f"{title} \N{EN DASH} {item.variant.label}"
    messages.success(request, _("Added to your cart: %(title)s.") % {"title": title})
    return redirect("orders:cart")


@require_POST
def update_cart(request: HttpRequest) -> HttpResponse:
    form = CartQuantityForm(request.POST)
    if form.is_valid() and form.cleaned_data["quantity"] is not None:
        try:
            services.set_cart_quantity(
                cart=current_cart(request),
                product_id=form.cleaned_data["product"],
                quantity=form.cleaned_data["quantity"],
                variant_id=form.cleaned_data["variant"],
            )
        except OrderError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Choose a quantity between 1 and 99."))
    return redirect("orders:cart")


@require_POST
def accept_cart_changes(request: HttpRequest) -> HttpResponse:
    services.accept_cart_changes(cart=current_cart(request))
    messages.success(request, _("Your cart now shows today's prices and stock."))
    return redirect("orders:cart")


# --- Checkout ---------------------------------------------------------------------------------


def _initial_address(user: User) -> dict[str, str]:
    saved = selectors.get_saved_address(user)
    if saved is None:
        return {"full_name": user.full_name, "phone": user.phone or ""}
    return {
        "full_name": saved.full_name,
        "line1": saved.line1,
        "line2": saved.line2,
        "city": saved.city,
        "region": saved.region,
        "postal_code": saved.postal_code,
        "country": saved.country,
        "phone": saved.phone,
    }


def _carrier_choices(data: Mapping[str, str]) -> dict[int, str]:
    """The carrier picked for each shop's parcel: fields named carrier_<shop id>."""
    return {
        int(name.removeprefix("carrier_")): str(value)
        for name, value in data.items()
        if name.startswith("carrier_") and name.removeprefix("carrier_").isdigit()
    }


def _payment_choices(
    summary: selectors.CheckoutSummary | None, chosen: str, *, guest: bool = False
) -> tuple[list[tuple[str, str, bool]], str]:
    """The ways to pay offered for this total and country, as (value, label, checked), and
    why cash on delivery went away when the buyer had chosen it ("" otherwise).

    Cash on delivery is offered only where and up to what it is allowed, and to account
    holders (docs/decisions.md): a choice the order would refuse is never shown, and a total
    that moves over the limit is said in place."""
    offered = [
        (value, str(label))
        for value, label in PaymentMethod.choices
        if value != PaymentMethod.CASH_ON_DELIVERY
        or (not guest and summary is not None and summary.is_cash_on_delivery_allowed)
    ]
    refusal = ""
    if guest and chosen == PaymentMethod.CASH_ON_DELIVERY:
        refusal = str(CashOnDeliveryNeedsAccount.message)
    elif chosen == PaymentMethod.CASH_ON_DELIVERY and all(
        value != chosen for value, _label in offered
    ):
        refusal = _(
            "Cash on delivery is possible only in Morocco and up to %(limit)s. "
            "Choose another way to pay."
        ) % {"limit": format_money_for_language(selectors.cash_on_delivery_limit(), get_language())}
    return [(value, label, value == chosen) for value, label in offered], refusal


def _checkout_context(
    request: HttpRequest,
    cart: Cart,
    form: AddressForm,
    data: Mapping[str, str],
    *,
    payment_method: str = PaymentMethod.CARD,
    view: selectors.CartView | None = None,
) -> dict[str, Any]:
    """The parcels, shipping options, totals and ways to pay for the country on the form (or
    why not); `view`, the cart as this request already read it."""
    try:
        summary = selectors.summarize_checkout(
            cart=cart,
            country=form.selected_country,
            currency=getattr(request, "currency", "MAD"),
            carriers=_carrier_choices(data),
            view=view,
        )
        refusal = ""
    except NoCarrier as error:
        summary, refusal = None, str(error.message)
    guest = _user_or_none(request) is None
    payment_choices, payment_refusal = _payment_choices(summary, payment_method, guest=guest)
    checkout_url = reverse("orders:checkout")
    return {
        "is_guest": guest,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': checkout_url})}",
        "signup_url": f"{reverse('accounts:signup')}?{urlencode({'next': checkout_url})}",
        "form": form,
        "summary": summary,
        "shipping_refusal": refusal,
        "payment_choices": payment_choices,
        "payment_refusal": payment_refusal,
        "address_fields_url": reverse("orders:address_fields"),
        "address_fields_target": "#checkout-fields",
        "cash_on_delivery_limit": selectors.cash_on_delivery_limit(),
        "reservation_minutes": services.reservation_minutes(),
    }


def _guest_buyer(request: HttpRequest, contact: GuestContactForm | None, full_name: str) -> User:
    """The session's guest for this email and phone (a new one if they changed), counted by
    the throttle of anonymous forms."""
    if contact is None:
        raise Http404
    email = contact.cleaned_data["guest_email"]
    phone = contact.cleaned_data["guest_phone"]
    throttle.check_guest_checkout(email=email, ip_address=client_ip(request))
    guest = guests.session_guest(request.session)
    if guest is None or (guest.guest_email, guest.guest_phone) != (email, phone):
        guest = accounts.create_guest(
            full_name=full_name,
            email=email,
            phone=phone,
            preferred_language=get_language() or "fr",
            preferred_currency=getattr(request, "currency", "MAD"),
        )
        request.session[guests.GUEST_SESSION_KEY] = guest.pk
    return guest


def _initial_contact(request: HttpRequest) -> dict[str, str]:
    guest = guests.session_guest(request.session)
    if guest is None:
        return {}
    return {"guest_email": guest.guest_email, "guest_phone": guest.guest_phone}


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest) -> HttpResponse:
    """The address, the parcels with their shipping, the payment method (and, for a guest, an
    email and a phone); then place the order and go to payment."""
    user = _user_or_none(request)
    cart = current_cart(request)
    # Only a cart the buyer has looked at goes to checkout (the parcels are priced below).
    view = selectors.get_cart_view(cart)
    if not view.lines or view.needs_attention:
        refusal = CartEmpty() if not view.lines else CartChanged()
        messages.error(request, str(refusal.message))
        return redirect("orders:cart")
    if request.method == "POST":
        address_form = AddressForm(request.POST)
        payment_form = PaymentChoiceForm(request.POST)
        contact_form = GuestContactForm(request.POST) if user is None else None
        chosen = str(request.POST.get("payment_method", ""))
        valid = [address_form.is_valid(), payment_form.is_valid()]
        if contact_form is not None:
            valid.append(contact_form.is_valid())
        is_valid = all(valid)
        # place_order prices the parcels itself: they are priced here first only to show the
        # form again, or to say beside the choices why cash on delivery is refused (the order
        # would refuse it anyway, CashOnDeliveryNotAllowed) with the form kept.
        context: dict[str, Any] = {}
        if not is_valid or chosen == PaymentMethod.CASH_ON_DELIVERY:
            context = _checkout_context(
                request, cart, address_form, request.POST, payment_method=chosen, view=view
            )
        if is_valid and not context.get("payment_refusal"):
            address = address_form.to_address()
            buyer = user or _guest_buyer(request, contact_form, address.full_name)
            order = services.place_order(
                buyer=buyer,
                cart=cart,
                address=address,
                payment_method=payment_form.cleaned_data["payment_method"],
                checkout_token=payment_form.cleaned_data["checkout_token"],
                currency=getattr(request, "currency", "MAD"),
                language=get_language() or "fr",
                carriers=_carrier_choices(request.POST),
                view=view,
            )
            if user is not None and payment_form.cleaned_data["save_address"]:
                services.save_address(user=user, address=address)
            return redirect("payments:pay", reference=order.reference)
        context = context or _checkout_context(
            request, cart, address_form, request.POST, payment_method=chosen, view=view
        )
    else:
        address_form = AddressForm(initial=_initial_address(user) if user is not None else None)
        payment_form = PaymentChoiceForm(initial={"checkout_token": secrets.token_hex(16)})
        contact_form = GuestContactForm(initial=_initial_contact(request)) if user is None else None
        context = _checkout_context(request, cart, address_form, {}, view=view)
    return render(
        request,
        "orders/checkout.html",
        {**context, "payment_form": payment_form, "contact_form": contact_form},
    )


@require_POST
def address_fields(request: HttpRequest) -> HttpResponse:
    """The address fields for the country just chosen, and that country's parcels (htmx)."""
    form = AddressForm.refitted(request.POST)
    chosen = str(request.POST.get("payment_method", ""))
    return render(
        request,
        "orders/_checkout_fields.html",
        _checkout_context(
            request, current_cart(request), form, request.POST, payment_method=chosen
        ),
    )
