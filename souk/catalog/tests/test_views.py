"""Catalog pages through HTTP: the product page, the artisan's pages, moderation."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from souk.accounts.tests.factories import make_user
from souk.catalog import services
from souk.catalog import tasks as catalog_tasks
from souk.catalog.models import Product, ProductStatus
from souk.catalog.tests.factories import details, make_active_product, make_draft_product
from souk.core.models import AuditEntry, ExchangeRate
from souk.core.tests.pages import without_csrf_tokens
from souk.search import tasks as search_tasks
from souk.shops import identity
from souk.shops import services as shop_services
from souk.shops.tests.factories import (
    jpeg_bytes,
    make_approved_shop,
    make_moderator,
    owner_of,
    upload,
)

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "fr", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(f"catalog:{name}", kwargs=kwargs)


def product_page(product: Product, language: str = "fr") -> str:
    return url("detail", language, product_id=product.pk, slug=product.slug)


def artisan_urls(product: Product) -> list[tuple[str, str]]:
    """Every artisan URL that names a listing, with its method."""
    shop_id, product_id = product.shop_id, product.pk
    photo_id = product.photos.get().pk
    return [
        ("get", url("edit", shop_id=shop_id, product_id=product_id)),
        ("post", url("edit", shop_id=shop_id, product_id=product_id)),
        ("get", url("photos", shop_id=shop_id, product_id=product_id)),
        ("post", url("photos", shop_id=shop_id, product_id=product_id)),
        ("post", url("remove_photo", shop_id=shop_id, product_id=product_id, photo_id=photo_id)),
        ("post", url("move_photo", shop_id=shop_id, product_id=product_id, photo_id=photo_id)),
        ("post", url("reorder_photos", shop_id=shop_id, product_id=product_id)),
        ("post", url("change_status", shop_id=shop_id, product_id=product_id)),
        ("get", url("listings", shop_id=shop_id)),
        ("get", url("create", shop_id=shop_id)),
        ("post", url("create", shop_id=shop_id)),
    ]


def test_every_artisan_url_is_a_404_for_another_shops_manager(client):
    # given: a listing, and the manager of another approved shop
    product = make_draft_product()
    stranger = owner_of(make_approved_shop())
    client.force_login(stranger)
    before = list(Product.objects.values())

    # when / then
    for method, address in artisan_urls(product):
        response = getattr(client, method)(address, {"action": "submit", "direction": "up"})
        assert response.status_code == 404, (method, address)
    assert list(Product.objects.values()) == before
    assert product.photos.count() == 1


def test_another_shops_listing_under_ones_own_shop_id_is_a_404(client):
    product = make_draft_product()
    own_shop = make_approved_shop()
    client.force_login(owner_of(own_shop))

    response = client.get(url("edit", shop_id=own_shop.pk, product_id=product.pk))

    assert response.status_code == 404


def test_artisan_urls_send_anonymous_visitors_to_log_in_and_buyers_get_404(client):
    product = make_draft_product()
    for method, address in artisan_urls(product):
        response = getattr(client, method)(address)
        assert response.status_code == 302
        assert response["Location"].startswith("/fr/account/login/")
    client.force_login(make_user())
    for method, address in artisan_urls(product):
        assert getattr(client, method)(address).status_code == 404


def test_the_artisan_creates_a_listing_and_submits_it(client):
    # given
    shop = make_approved_shop()
    owner = owner_of(shop)
    client.force_login(owner)

    # when
    form = client.get(url("create", shop_id=shop.pk))
    response = client.post(
        url("create", shop_id=shop.pk),
        {
            "trade": "S01-T02",
            "title_ar": "طاجين",
            "description_ar": "طاجين مصنوع باليد",
            "region": shop.region_id,
            "price": "450.00",
            "stock_quantity": "2",
            "hs_code": "",
            "length_cm": "30.5",
        },
    )

    # then
    assert form.status_code == 200
    assert 'value="691200"' in form.content.decode()
    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("photos", shop_id=shop.pk, product_id=product.pk)
    assert (product.title_ar, product.price_amount, product.length_mm, product.hs_code) == (
        "طاجين",
        45_000,
        305,
        "691200",
    )
    client.post(
        url("photos", shop_id=shop.pk, product_id=product.pk),
        {"image": upload("a.jpg", jpeg_bytes(400, 300)), "alt_text": "Tajine"},
    )
    client.post(url("change_status", shop_id=shop.pk, product_id=product.pk), {"action": "submit"})
    assert Product.objects.get().status == ProductStatus.PENDING_REVIEW


def test_the_form_offers_only_the_goods_trades_of_the_shops_sector(client):
    shop = make_approved_shop()
    client.force_login(owner_of(shop))

    html = client.get(url("create", shop_id=shop.pk)).content.decode()

    assert 'value="S01-T02"' in html
    assert 'value="S03-T04"' not in html
    assert 'value="S10-T01"' not in html


def test_a_wrong_photo_is_refused_on_the_page_with_a_message(client):
    product = make_draft_product(photo=False)
    client.force_login(owner_of(product.shop))

    response = client.post(
        url("photos", "en", shop_id=product.shop_id, product_id=product.pk),
        {"image": upload("a.jpg", b"%PDF-1.4 nope")},
    )

    assert response.status_code == 400
    assert "This file is not a JPEG, PNG, WebP or HEIC image." in response.content.decode()
    assert product.photos.count() == 0


def test_the_product_page_in_french(client):
    product = make_active_product(description_en="A hand-thrown tagine.", title_en="Safi tagine")

    response = client.get(product_page(product))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Tajine de Safi ·" in html
    assert '<meta property="og:title" content="Tajine de Safi">' in html
    assert f'<meta property="og:url" content="http://testserver{product_page(product)}">' in html
    assert '<meta property="og:image" content="http://testserver/media/products/' in html
    assert 'hreflang="ar"' in html
    assert "450,00\xa0MAD" in html
    with translation.override("fr"):
        badge = translation.gettext("Registered artisan")
    assert f'<span class="badge badge--verified">{badge}</span>' in html
    assert 'class="photo-placeholder"' in html  # renditions not made yet
    assert 'class="note"' not in html  # shown in the visitor's language
    assert '<meta property="og:type" content="product">' in html
    assert '<meta property="og:locale" content="fr_FR">' in html
    assert f'<link rel="canonical" href="http://testserver{product_page(product)}">' in html
    # Breadcrumbs and facts link to the browse pages of its craft and region.
    assert '<a href="/fr/crafts/S01/">' in html
    assert '<a href="/fr/crafts/S01/S01-T02/">' in html
    assert f'<a href="/fr/regions/{product.region_id}/">' in html


def test_the_product_page_in_arabic_falls_back_to_french_and_says_so(client):
    product = make_active_product()

    html = client.get(product_page(product, "ar")).content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert '<h1 id="product-title" lang="fr" dir="ltr">Tajine de Safi</h1>' in html
    assert '<p class="note">' in html


def test_the_product_page_shows_an_estimate_in_euros_with_the_rate_date(client):
    product = make_active_product(price_amount=112_000)
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 27), currency="EUR", mad_per_unit="10.8125"
    )
    session = client.session
    session["currency"] = "EUR"
    session.save()

    html = client.get(product_page(product, "en")).content.decode()

    assert "≈ €103.58" in html
    assert "MAD1,120.00 charged, rate of 27 Nov 2026" in html


def test_the_chosen_currency_leads_on_cards_search_results_and_the_product_page(client):
    # given: a tagine of 450 MAD, a dollar at 10 MAD, a visitor who chose USD
    product = make_active_product(price_amount=45_000, title_en="Blue tagine")
    search_tasks.index_products.call([product.pk])
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 27), currency="USD", mad_per_unit="10.0000"
    )
    session = client.session
    session["currency"] = "USD"
    session.save()
    leading = "≈ $45.00"
    charged = "MAD450.00 charged, rate of 27 Nov 2026"

    # when
    with translation.override("en"):
        pages = {
            "home": client.get(reverse("web:home")),
            "search": client.get(reverse("search:search") + "?q=tagine"),
            "product": client.get(product_page(product, "en")),
        }

    # then: on each, the dollar estimate comes first, the MAD price charged beside it
    for name, response in pages.items():
        text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
        assert f"{leading} {charged}" in text, name


def test_without_a_rate_the_page_shows_the_mad_price_only(client):
    product = make_active_product()
    session = client.session
    session["currency"] = "USD"
    session.save()

    html = client.get(product_page(product, "en")).content.decode()

    assert "MAD450.00" in html
    assert "≈" not in html


def test_a_wrong_slug_redirects_and_a_hidden_listing_is_a_404(client):
    product = make_active_product()
    draft = make_draft_product(shop=product.shop)

    wrong = client.get(url("detail", product_id=product.pk, slug="autre-chose"))
    hidden = client.get(url("detail", product_id=draft.pk, slug=draft.slug))

    assert (wrong.status_code, wrong["Location"]) == (301, product_page(product))
    assert hidden.status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_the_product_page_runs_a_bounded_number_of_queries(
    client, count, django_assert_max_num_queries
):
    product = make_active_product()
    for _ in range(count - 1):
        make_active_product(shop=product.shop)

    # The page's fingerprint (its live state and the index version), the page, and the
    # delivery line, a live part: the listing, and its quote (the zone's rates, the shop's free
    # shipping).
    with django_assert_max_num_queries(14):
        response = client.get(product_page(product))
    # Again: the whole page is kept (souk.core.pagecache); its fingerprint is read, and the
    # delivery line, a live part, reads the listing (its quote is kept).
    with django_assert_max_num_queries(3):
        again = client.get(product_page(product))

    assert response.status_code == again.status_code == 200
    assert response.content.decode().count('class="product-card"') == min(count - 1, 4)
    first_html, again_html = response.content.decode(), again.content.decode()
    assert without_csrf_tokens(again_html) == without_csrf_tokens(first_html)


def test_a_kept_product_page_shows_the_artisans_changes(client, django_capture_on_commit_callbacks):
    # given: the page seen once, so its blocks kept in the cache
    product = make_active_product()
    shop = product.shop
    assert "argile" in client.get(product_page(product)).content.decode()
    shop.refresh_from_db()
    owner = owner_of(shop)
    # when: the artisan changes the materials (trusted shop: no new review)
    shop.is_trusted = True
    shop.save(update_fields=["is_trusted"])
    with django_capture_on_commit_callbacks(execute=True):
        services.update_product(
            product=product, actor=owner, details=details(materials="argile rouge de Safi")
        )
    assert "argile rouge de Safi" in client.get(product_page(product)).content.decode()
    # when: the shop's name, kept in the page's artisan card, once a moderator approved it
    with django_capture_on_commit_callbacks(execute=True):
        shop_services.update_shop_profile(
            shop=shop,
            actor=owner,
            display_name="Atelier Nouveau Nom",
            story_ar=shop.story_ar,
            story_fr=shop.story_fr,
            story_en=shop.story_en,
            story_es=shop.story_es,
            workshop_city=shop.workshop_city,
            region=shop.region,
            languages_spoken=shop.languages_spoken,
            trades=list(shop.trades.all()),
        )
    assert "Atelier Nouveau Nom" not in client.get(product_page(product)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        identity.approve_identity_change(shop=shop, moderator=make_moderator())
    # then
    assert "Atelier Nouveau Nom" in client.get(product_page(product)).content.decode()


def test_a_kept_product_page_shows_the_photo_once_its_renditions_are_made(
    client, django_capture_on_commit_callbacks
):
    # given: the page seen while the photo's renditions are not made
    product = make_active_product()
    assert 'class="photo-placeholder"' in client.get(product_page(product)).content.decode()
    # when: the worker makes them (and commits)
    with django_capture_on_commit_callbacks(execute=True):
        catalog_tasks.generate_photo_renditions.call(product.photos.get().pk)
    # then
    html = client.get(product_page(product)).content.decode()
    assert 'class="photo-placeholder"' not in html
    assert 'srcset="/media/products/' in html


def test_the_artisans_list_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    product = make_draft_product()
    for _ in range(5):
        make_draft_product(shop=product.shop)
    client.force_login(owner_of(product.shop))

    with django_assert_max_num_queries(10):
        response = client.get(url("listings", shop_id=product.shop_id))

    assert response.status_code == 200
    assert response.content.decode().count('<li class="card">') == 6


def test_the_shop_page_lists_its_visible_listings(client):
    product = make_active_product()
    draft = make_draft_product(shop=product.shop, title_fr="Brouillon secret")
    # The shop page lists works through the search index, as the browse pages do.
    search_tasks.index_products.call([product.pk, draft.pk])

    with translation.override("fr"):
        address = reverse("shops:detail", kwargs={"slug": product.shop.slug})
    html = client.get(address).content.decode()

    assert "Tajine de Safi" in html
    assert "Brouillon secret" not in html


def test_listing_cards_show_the_title_in_the_visitors_language(client):
    product = make_active_product(title_ar="طاجين آسفي")
    search_tasks.index_products.call([product.pk])

    with translation.override("ar"):
        address = reverse("shops:detail", kwargs={"slug": product.shop.slug})
    html = client.get(address).content.decode()

    assert '<h3 class="product-card__title">طاجين آسفي</h3>' in html


def test_the_moderation_queue_lists_pending_listings_and_bulk_approves(client):
    # given
    pending = [make_draft_product() for _ in range(2)]
    for product in pending:
        services.submit_product(product=product, actor=owner_of(product.shop))
    moderator = make_moderator()
    client.force_login(moderator)

    # when
    queue = client.get(url("moderation_queue"))
    response = client.post(url("bulk_approve"), {"product": [p.pk for p in pending]})

    # then
    assert queue.status_code == 200
    assert queue.content.decode().count('name="product"') == 2
    assert response.status_code == 302
    assert set(Product.objects.values_list("status", flat=True)) == {ProductStatus.ACTIVE}
    assert AuditEntry.objects.filter(action="product.approve", actor=moderator).count() == 2


def test_a_moderator_rejects_with_a_reason_and_suspends(client):
    product = make_draft_product()
    services.submit_product(product=product, actor=owner_of(product.shop))
    client.force_login(make_moderator())

    client.post(url("decide", product_id=product.pk), {"action": "reject", "reason": "Flou"})
    product.refresh_from_db()
    assert (product.status, product.status_reason) == (ProductStatus.DRAFT, "Flou")

    client.post(url("decide", product_id=product.pk), {"action": "suspend", "reason": "Copie"})
    assert Product.objects.get(pk=product.pk).status == ProductStatus.SUSPENDED


def test_the_moderation_pages_are_closed_to_artisans(client):
    product = make_draft_product()
    client.force_login(owner_of(product.shop))

    assert client.get(url("moderation_queue")).status_code == 403
    assert client.post(url("bulk_approve"), {"product": [product.pk]}).status_code == 403
    assert (
        client.post(url("decide", product_id=product.pk), {"action": "approve"}).status_code == 403
    )
    assert Product.objects.get().status == ProductStatus.DRAFT


def test_a_title_with_a_direction_override_is_isolated_on_its_page_and_its_shops(client):
    # given: U+202E (right-to-left override) would reverse what follows it on the page
    title = "Tajine \u202eأزرق"
    product = make_active_product(title_fr=title)
    search_tasks.index_products.call([product.pk])
    # when
    page = client.get(product_page(product)).content.decode()
    shop_page = client.get(reverse("shops:detail", args=[product.shop.slug])).content.decode()
    # then: alone in a block with a dir (isolated by HTML's own rules), or inside <bdi>
    heading = f'<h1 id="product-title" lang="fr" dir="ltr">{title}</h1>'
    breadcrumb = f'<span aria-current="page"><bdi>{title}</bdi></span>'
    assert heading in page
    assert breadcrumb in page
    body = page.split("</head>", 1)[1]
    isolated = f"<bdi>{title}</bdi>"  # the breadcrumb's, the Save button's hidden name
    assert title not in body.replace(heading, "").replace(isolated, "")
    assert f'<h3 class="product-card__title">{title}</h3>' in shop_page
    stylesheet = finders.find("souk/souk.css")
    assert isinstance(stylesheet, str)
    assert "bdi { unicode-bidi: isolate; }" in Path(stylesheet).read_text()
