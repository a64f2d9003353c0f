"""URL map: /healthz, /media/, /robots.txt and the sitemap outside the language prefix; pages
under /ar/ /fr/ /en/ /es/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import URLPattern, URLResolver, include, path

from souk.core import views as core_views
from souk.fulfilment import views as fulfilment_views
from souk.sandbox import checks as sandbox_checks
from souk.web import views as web_views
from souk.web.sitemaps import SITEMAPS

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", web_views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap_index",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    # Public uploads (photos); private files are outside MEDIA_ROOT (docs/shops.md).
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        core_views.public_media,
        name="public_media",
    ),
    # Server-to-server payment callbacks: no language prefix, no CSRF (docs/payments.md).
    path("payments/", include("souk.payments.callback_urls")),
    # Carriers' tracking events, signed (docs/shipping.md).
    path("shipping/", include("souk.fulfilment.webhook_urls")),
    # The address a certificate's QR holds: short, and the page follows the reader's language.
    path("c/<str:code>", fulfilment_views.certificate_short, name="certificate_short"),
    # Artisans' SMS replies (STOP, an appointment's code), signed by the provider
    # (docs/support.md).
    path("sms/", include("souk.support.sms_reply_urls")),
]
# Never beside real keys: the sandbox signs with its public ones (souk/sandbox/checks.py,
# which also stops the server then).
if settings.SOUK_SANDBOX and not sandbox_checks.real_keys_beside_the_sandbox():
    urlpatterns.append(path("sandbox/", include("souk.sandbox.urls")))

urlpatterns += i18n_patterns(
    path("", include("souk.web.urls")),
    path("account/", include("souk.accounts.urls")),
    path("sell/", include("souk.onboarding.urls")),
    path("shops/", include("souk.shops.urls")),
    path("products/", include("souk.catalog.urls")),
    path("search/", include("souk.search.urls")),
    path("", include("souk.search.browse_urls")),
    path("", include("souk.orders.urls")),
    path("notifications/", include("souk.notifications.urls")),
    path("favourites/", include("souk.favourites.urls")),
    path("payments/", include("souk.payments.urls")),
    path("shipping/", include("souk.shipping.urls")),
    path("", include("souk.fulfilment.urls")),
    path("earnings/", include("souk.ledger.urls")),
    path("banking/", include("souk.banking.urls")),
    path("support/", include("souk.support.urls")),
    path("reviews/", include("souk.reviews.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
