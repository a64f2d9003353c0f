"""Catalog pages: the public product page, the artisan's listings, listing moderation.

Views parse, authorise, call one service or selector and render. A listing someone may not see
or manage is a 404: its existence is not revealed. Refusals of a form's service are shown on
the form; other refusals go to DomainErrorMiddleware.
"""

from __future__ import annotations

from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from souk.accounts.models import User
from souk.catalog import availability, photo_services, selectors, services
from souk.catalog.errors import CatalogError, PhotoOrderMismatch, StockChangedMeanwhile
from souk.catalog.forms import DecisionForm, ProductForm, VariantForm
from souk.catalog.models import (
    MAX_PHOTOS_PER_PRODUCT,
    Product,
    ProductPhoto,
    ProductStatus,
    ProductVariant,
)
from souk.core.gallery import views as gallery_views
from souk.core.gallery.pages import gallery_page
from souk.core.pagecache import kept_page, page_fingerprint
from souk.core.seo import build_page_meta
from souk.search import query_cache
from souk.shipping import selectors as shipping
from souk.shops import selectors as shops
from souk.shops.models import Shop

ARTISAN_ACTIONS = frozenset({"submit", "pause", "resume"})
MODERATOR_ACTIONS = frozenset({"approve", "reject", "suspend", "lift_suspension"})


def _account(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _managed_shop(request: HttpRequest, shop_id: int) -> tuple[User, Shop]:
    user = _account(request)
    try:
        return user, shops.get_managed_shop(user=user, shop_id=shop_id)
    except Shop.DoesNotExist as error:
        raise Http404 from error


def _managed_product(request: HttpRequest, shop_id: int, product_id: int) -> tuple[User, Product]:
    user = _account(request)
    try:
        return user, selectors.get_managed_product(
            user=user, shop_id=shop_id, product_id=product_id
        )
    except Product.DoesNotExist as error:
        raise Http404 from error


def _require_moderator(request: HttpRequest) -> User:
    user = _account(request)
    if not user.has_perm(selectors.MODERATE_PERMISSION):
        raise PermissionDenied
    return user


def _with_stock_now(posted: QueryDict, stock_now: int) -> QueryDict:
    """What the artisan typed, with the stock as it is now: shown again after
    StockChangedMeanwhile, so nothing typed is lost and the next save compares with it."""
    data = posted.copy()
    data["stock_quantity"] = str(stock_now)
    data["stock_shown"] = str(stock_now)
    return data


def product_url(product: Product) -> str:
    return reverse("catalog:detail", kwargs={"product_id": product.pk, "slug": product.slug})


# --- Public page ----------------------------------------------------------------------------


def _page_fingerprint(kwargs: dict[str, Any], currency: str) -> str | None:
    """What the kept product page depends on (souk.core.pagecache): the search index version
    and the listing's live state, read in one statement: "version:state"; None when it is not
    public (the view answers 404)."""
    return selectors.get_page_state(
        product_id=kwargs["product_id"], currency=currency, also=query_cache.INDEX_VERSION_SQL
    )


def _index_version(request: HttpRequest) -> str:
    """The search index version the page's fingerprint read (the one it is kept under), else
    read now. The fingerprint is "version:digest:rate"."""
    print_ = page_fingerprint(request)
    if print_ is None:
        return query_cache.current_index_version()
    return print_.rsplit(":", 2)[0]


@kept_page(fingerprint=_page_fingerprint)
@require_safe
def detail(request: HttpRequest, product_id: int, slug: str) -> HttpResponse:
    """A visible product's page; 404 otherwise. An old or wrong slug redirects to the right one.

    What the page says of the piece (photos, description, facts), its artisan and other works
    is kept in the cache: the `{% cache %}` blocks of catalog/detail.html and the cover photo
    of its OpenGraph tags, under the product, the language and the search index version, which
    any change of a listing, its photos or its shop renews (souk.search.query_cache). Their
    values are lazy, read only to fill a block (the photos of the piece and of its other works
    in one statement). The listing itself (with its shop, trade and region, one query), the
    price in the visitor's currency, the stock and the add-to-cart form are read on every
    render; the index version is the one the page's fingerprint read.
    """
    try:
        product = selectors.get_product_for_page(product_id=product_id)
    except Product.DoesNotExist as error:
        raise Http404 from error
    if slug != product.slug:
        return redirect(product_url(product), permanent=True)
    version = _index_version(request)
    currency = str(getattr(request, "currency", "MAD"))
    text = selectors.get_shown_text(product)
    variants = selectors.list_active_variants(product)
    # Its photos and other works: for the kept blocks and the cover only, read together.
    pieces = cast(
        tuple[list[ProductPhoto], list[Product]],
        SimpleLazyObject(lambda: selectors.list_page_photos_and_other_works(product)),
    )
    photos = cast(list[ProductPhoto], SimpleLazyObject(lambda: pieces[0]))
    cover: str = (
        cache.get_or_set(
            f"catalog:cover:{product.pk}:{version}",
            lambda: photos[0].image.url if photos else "",
            query_cache.QUERY_CACHE_SECONDS,
        )
        or ""
    )
    return render(
        request,
        "catalog/detail.html",
        {
            "product": product,
            "text": text,
            "material_names": product.material_names(get_language() or "fr"),
            "version": version,
            "cache_seconds": query_cache.QUERY_CACHE_SECONDS,
            "price": (
                selectors.get_shown_variant_price(product, variants, currency=currency)
                if variants
                else selectors.get_shown_price(product, currency=currency)
            ),
            "variants": variants,
            "is_buyable": availability.is_buyable(product, variants),
            "piece": product,
            "photos": photos,
            "story": SimpleLazyObject(lambda: shops.get_shown_story(product.shop)),
            "maker": SimpleLazyObject(lambda: selectors.get_shown_maker(product)),
            "other_works": SimpleLazyObject(lambda: pieces[1]),
            "reach": SimpleLazyObject(lambda: shipping.get_reach(product)),
            "delivery_listing": shipping.get_delivery_listing(product),
            "breadcrumbs": SimpleLazyObject(lambda: _breadcrumbs(product, text.title)),
            # og:image is the stored photo itself (WebP, at most 1600 px), ready as soon as it
            # is uploaded.
            "meta": build_page_meta(
                request,
                title=text.title,
                description=text.description,
                og_type="product",
                image_path=cover,
                canonical_path=product_url(product),
            ),
        },
    )


def _breadcrumbs(product: Product, title: str) -> list[tuple[str, str]]:
    trade = product.trade
    return [
        (_("Home"), reverse("web:home")),
        (trade.sector.name, reverse("browse:sector", args=[trade.sector_id])),
        (trade.name, reverse("browse:trade", args=[trade.sector_id, trade.pk])),
        (title, ""),
    ]


# --- The artisan's pages --------------------------------------------------------------------


@login_required
@require_safe
def listings(request: HttpRequest, shop_id: int) -> HttpResponse:
    """The shop's listings in every status, with what the artisan may do next."""
    _user, shop = _managed_shop(request, shop_id)
    return render(
        request,
        "catalog/listings.html",
        {"shop": shop, "products": list(selectors.list_managed_products(shop))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, shop_id: int) -> HttpResponse:
    user, shop = _managed_shop(request, shop_id)
    form = ProductForm(request.POST or None, shop=shop, initial=ProductForm.initial_for(None, shop))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(shop=shop, actor=user, details=form.details())
        except CatalogError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("The listing is saved as a draft. Add its photos."))
            return redirect("catalog:photos", shop_id=shop.pk, product_id=product.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "catalog/product_form.html", {"shop": shop, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, shop_id: int, product_id: int) -> HttpResponse:
    user, product = _managed_product(request, shop_id, product_id)
    shop = product.shop
    initial = ProductForm.initial_for(product, shop)
    form = ProductForm(request.POST or None, shop=shop, initial=initial)
    form.fields["stock_shown"].required = True  # never a blind overwrite of the stock
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(product=product, actor=user, details=form.details())
        except StockChangedMeanwhile as refusal:
            data = _with_stock_now(request.POST, refusal.stock_now)
            form = ProductForm(data, shop=shop, initial=initial)
            form.is_valid()
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        except CatalogError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("The listing is saved."))
            return redirect("catalog:listings", shop_id=shop.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "catalog/product_form.html",
        {"shop": shop, "form": form, "product": product},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def photos(request: HttpRequest, shop_id: int, product_id: int) -> HttpResponse:
    user, product = _managed_product(request, shop_id, product_id)
    return gallery_views.photos_page(
        request,
        template_name="catalog/photos.html",
        context={"shop": product.shop, "product": product, "max_photos": MAX_PHOTOS_PER_PRODUCT},
        gallery=partial(
            gallery_page,
            photos=product.photos.all(),
            is_editable=product.is_editable,
            max_photos=MAX_PHOTOS_PER_PRODUCT,
            reorder_url=reverse("catalog:reorder_photos", args=[shop_id, product.pk]),
            move_url=lambda pk: reverse("catalog:move_photo", args=[shop_id, product.pk, pk]),
            remove_url=lambda pk: reverse("catalog:remove_photo", args=[shop_id, product.pk, pk]),
        ),
        add_photo=lambda upload, alt_text: photo_services.add_product_photo(
            product=product, actor=user, upload=upload, alt_text=alt_text
        ),
        done_url=reverse("catalog:photos", args=[shop_id, product.pk]),
    )


@login_required
@require_POST
def remove_photo(
    request: HttpRequest, shop_id: int, product_id: int, photo_id: int
) -> HttpResponse:
    user, product = _managed_product(request, shop_id, product_id)
    try:
        photo_services.remove_product_photo(product=product, actor=user, photo_id=photo_id)
    except ProductPhoto.DoesNotExist as error:
        raise Http404 from error
    messages.success(request, _("The photo is removed."))
    return redirect("catalog:photos", shop_id=shop_id, product_id=product.pk)


@login_required
@require_POST
def reorder_photos(request: HttpRequest, shop_id: int, product_id: int) -> HttpResponse:
    """The order dragged into place on the photos page (photo_order.js): `order=<id>` repeated,
    cover first. Answers 204; a wrong list is a 400 from the middleware."""
    user, product = _managed_product(request, shop_id, product_id)
    photo_ids = gallery_views.posted_order(request, mismatch=PhotoOrderMismatch)
    photo_services.reorder_product_photos(product=product, actor=user, photo_ids=photo_ids)
    return HttpResponse(status=204)


@login_required
@require_POST
def move_photo(request: HttpRequest, shop_id: int, product_id: int, photo_id: int) -> HttpResponse:
    user, product = _managed_product(request, shop_id, product_id)
    offset = gallery_views.posted_offset(request)
    try:
        photo_services.move_product_photo(
            product=product, actor=user, photo_id=photo_id, offset=offset
        )
    except ProductPhoto.DoesNotExist as error:
        raise Http404 from error
    return redirect("catalog:photos", shop_id=shop_id, product_id=product.pk)


@login_required
@require_POST
def change_status(request: HttpRequest, shop_id: int, product_id: int) -> HttpResponse:
    """submit, pause or resume (the artisan's moves of PRODUCT_TRANSITIONS)."""
    user, product = _managed_product(request, shop_id, product_id)
    action = request.POST.get("action", "")
    if action not in ARTISAN_ACTIONS:
        raise Http404
    services.change_product_status(product=product, actor=user, action=action)
    messages.success(request, _("The listing's status is changed."))
    return redirect("catalog:listings", shop_id=shop_id)


@login_required
@require_http_methods(["GET", "POST"])
def variants(request: HttpRequest, shop_id: int, product_id: int) -> HttpResponse:
    """The product's variants, and a form to add one."""
    user, product = _managed_product(request, shop_id, product_id)
    form = VariantForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.add_variant(product=product, actor=user, details=form.details())
        except CatalogError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("The variant is added."))
            return redirect("catalog:variants", shop_id=shop_id, product_id=product.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "catalog/variants.html",
        {
            "shop": product.shop,
            "product": product,
            "form": form,
            "variants": selectors.list_managed_variants(product),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_variant(
    request: HttpRequest, shop_id: int, product_id: int, variant_id: int
) -> HttpResponse:
    user, product = _managed_product(request, shop_id, product_id)
    try:
        variant = product.variants.get(pk=variant_id)
    except ProductVariant.DoesNotExist as error:
        raise Http404 from error
    form = VariantForm(request.POST or None, initial=VariantForm.initial_for(variant))
    form.fields["stock_shown"].required = True  # never a blind overwrite of the stock
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.update_variant(
                product=product, actor=user, variant_id=variant.pk, details=form.details()
            )
        except StockChangedMeanwhile as refusal:
            form = VariantForm(_with_stock_now(request.POST, refusal.stock_now))
            form.is_valid()
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        except CatalogError as refusal:
            form.add_error(None, str(refusal.message))
            status = refusal.http_status
        else:
            messages.success(request, _("The variant is saved."))
            return redirect("catalog:variants", shop_id=shop_id, product_id=product.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "catalog/variant_form.html",
        {"shop": product.shop, "product": product, "variant": variant, "form": form},
        status=status,
    )


@login_required
@require_POST
def put_variant_on_sale(
    request: HttpRequest, shop_id: int, product_id: int, variant_id: int, on_sale: bool
) -> HttpResponse:
    """Take a variant off sale or put it back (`on_sale`, fixed by the URL)."""
    user, product = _managed_product(request, shop_id, product_id)
    change = services.reactivate_variant if on_sale else services.deactivate_variant
    try:
        change(product=product, actor=user, variant_id=variant_id)
    except ProductVariant.DoesNotExist as error:
        raise Http404 from error
    messages.success(
        request, _("The variant is on sale again.") if on_sale else _("The variant is off sale.")
    )
    return redirect("catalog:variants", shop_id=shop_id, product_id=product.pk)


# --- Moderation -----------------------------------------------------------------------------


@login_required
@require_safe
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Listings waiting for a moderator (or, by ?status=, those in another status)."""
    _require_moderator(request)
    status = request.GET.get("status", ProductStatus.PENDING_REVIEW)
    if status not in ProductStatus.values:
        status = ProductStatus.PENDING_REVIEW
    page = Paginator(selectors.list_products_for_moderation(status=status), 50).get_page(
        request.GET.get("page")
    )
    actions = selectors.list_moderator_transitions(status=status)
    return render(
        request,
        "catalog/moderation_queue.html",
        {
            "page": page,
            "status": status,
            "statuses": ProductStatus.choices,
            "actions": actions,
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, product_id: int) -> HttpResponse:
    moderator = _require_moderator(request)
    action = request.POST.get("action", "")
    if action not in MODERATOR_ACTIONS:
        raise Http404
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        product = Product.objects.get(pk=product_id)
    except Product.DoesNotExist as error:
        raise Http404 from error
    previous = product.status
    services.moderate_product(product=product, moderator=moderator, action=action, reason=reason)
    messages.success(request, _("Your decision is recorded."))
    # Decided from the shop's review page (the shop and its pieces together): back there.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(f"{reverse('catalog:moderation_queue')}?status={previous}")


@login_required
@require_POST
def bulk_approve(request: HttpRequest) -> HttpResponse:
    moderator = _require_moderator(request)
    product_ids = [int(value) for value in request.POST.getlist("product") if value.isdigit()]
    approved = services.approve_products(product_ids=product_ids, moderator=moderator)
    messages.success(
        request,
        ngettext("%(count)d listing approved.", "%(count)d listings approved.", len(approved))
        % {"count": len(approved)},
    )
    return redirect("catalog:moderation_queue")
