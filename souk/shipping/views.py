"""Shipping pages: a shop's free-shipping thresholds, the country a product page quotes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from souk.accounts.models import User
from souk.shipping import delivery, selectors, services
from souk.shipping.forms import DeliveryCountryForm, FreeShippingForm
from souk.shops import selectors as shops
from souk.shops.models import Shop


@require_http_methods(["GET", "POST"])
def free_shipping(request: HttpRequest, shop_id: int) -> HttpResponse:
    """A shop manager sets, per zone, the amount of works from which shipping is free."""
    if not isinstance(request.user, User):
        return redirect_to_login(request.get_full_path())
    try:
        shop = shops.get_managed_shop(user=request.user, shop_id=shop_id)
    except Shop.DoesNotExist as error:
        raise Http404 from error
    current = selectors.get_free_shipping(shop)
    form = FreeShippingForm(request.POST or None, thresholds=current)
    if request.method == "POST" and form.is_valid():
        services.set_free_shipping(shop=shop, actor=request.user, thresholds=form.thresholds())
        messages.success(request, _("Your free shipping is saved."))
        return redirect("shipping:free_shipping", shop_id=shop.pk)
    return render(request, "shipping/free_shipping.html", {"shop": shop, "form": form})


@require_POST
def delivery_country(request: HttpRequest) -> HttpResponse:
    """The visitor chooses the country product pages quote delivery to (kept in the session),
    then goes back to the page they were on. An unknown country changes nothing and says so."""
    form = DeliveryCountryForm(request.POST)
    if form.is_valid():
        request.session[delivery.SESSION_KEY] = form.cleaned_data["country"]
    else:
        messages.error(request, _("Choose a country from the list."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(reverse("web:home"))
