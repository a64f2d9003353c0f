"""A shop's photos page: the shop's gallery (souk.core.gallery) for its managers.

Same rules as views.py: parse, authorise, call one use case (souk/shops/services.py), render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from souk.core.errors import DomainError
from souk.core.gallery.errors import PhotoOrderMismatch
from souk.core.gallery.forms import PhotoForm
from souk.core.gallery.pages import gallery_page
from souk.shops import services
from souk.shops.models import MAX_PHOTOS_PER_SHOP, ShopPhoto
from souk.shops.views import _managed_shop


@login_required
@require_http_methods(["GET", "POST"])
def photos(request: HttpRequest, shop_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    form = PhotoForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.add_shop_photo(
                shop=shop,
                actor=user,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except DomainError as refusal:
            form.add_error("image", str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("The photo is added."))
            return redirect("shops:photos", shop_id=shop.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "shops/photos.html",
        {
            "shop": shop,
            "max_photos": MAX_PHOTOS_PER_SHOP,
            "gallery": gallery_page(
                photos=shop.photos.all(),
                form=form,
                is_editable=shop.is_editable,
                max_photos=MAX_PHOTOS_PER_SHOP,
                reorder_url=reverse("shops:reorder_photos", args=[shop.pk]),
                move_url=lambda pk: reverse("shops:move_photo", args=[shop.pk, pk]),
                remove_url=lambda pk: reverse("shops:remove_photo", args=[shop.pk, pk]),
                until_ready="original",
            ),
        },
        status=status,
    )


@login_required
@require_POST
def remove_photo(request: HttpRequest, shop_id: int, photo_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    try:
        services.remove_shop_photo(shop=shop, actor=user, photo_id=photo_id)
    except ShopPhoto.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("The photo is removed."))
    return redirect("shops:photos", shop_id=shop.pk)


@login_required
@require_POST
def reorder_photos(request: HttpRequest, shop_id: int) -> HttpResponse:
    """The order dragged into place on the photos page (gallery/photo_order.js): `order=<id>`
    repeated, cover first. Answers 204; a wrong list is a 400 from the middleware."""
    user, shop = _managed_shop(request, shop_id)
    try:
        photo_ids = [int(value) for value in request.POST.getlist("order")]
    except ValueError as error:
        raise PhotoOrderMismatch() from error
    services.reorder_shop_photos(shop=shop, actor=user, photo_ids=photo_ids)
    return HttpResponse(status=204)


@login_required
@require_POST
def move_photo(request: HttpRequest, shop_id: int, photo_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.move_shop_photo(shop=shop, actor=user, photo_id=photo_id, offset=offset)
    except ShopPhoto.DoesNotExist as error:
        raise Http404 from error
    return redirect("shops:photos", shop_id=shop.pk)
