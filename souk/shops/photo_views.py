"""A shop's photos page: the shop's gallery (souk.core.gallery) for its managers.

Same rules as views.py: parse, authorise, call one use case (souk/shops/services.py), render.
"""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from souk.core.gallery import views as gallery_views
from souk.core.gallery.pages import gallery_page
from souk.shops import services
from souk.shops.models import MAX_PHOTOS_PER_SHOP, ShopPhoto
from souk.shops.views import _managed_shop


@login_required
@require_http_methods(["GET", "POST"])
def photos(request: HttpRequest, shop_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    return gallery_views.photos_page(
        request,
        template_name="shops/photos.html",
        context={"shop": shop, "max_photos": MAX_PHOTOS_PER_SHOP},
        gallery=partial(
            gallery_page,
            photos=shop.photos.all(),
            is_editable=shop.is_editable,
            max_photos=MAX_PHOTOS_PER_SHOP,
            reorder_url=reverse("shops:reorder_photos", args=[shop.pk]),
            move_url=lambda pk: reverse("shops:move_photo", args=[shop.pk, pk]),
            remove_url=lambda pk: reverse("shops:remove_photo", args=[shop.pk, pk]),
            until_ready="original",
        ),
        add_photo=lambda upload, alt_text: services.add_shop_photo(
            shop=shop, actor=user, upload=upload, alt_text=alt_text
        ),
        done_url=reverse("shops:photos", args=[shop.pk]),
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
    photo_ids = gallery_views.posted_order(request)
    services.reorder_shop_photos(shop=shop, actor=user, photo_ids=photo_ids)
    return HttpResponse(status=204)


@login_required
@require_POST
def move_photo(request: HttpRequest, shop_id: int, photo_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    offset = gallery_views.posted_offset(request)
    try:
        services.move_shop_photo(shop=shop, actor=user, photo_id=photo_id, offset=offset)
    except ShopPhoto.DoesNotExist as error:
        raise Http404 from error
    return redirect("shops:photos", shop_id=shop.pk)
