"""URL map: /healthz and /media/ outside the language prefix; pages under /ar/ /fr/ /en/ /es/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from souk.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
    # Public uploads (photos); private files are outside MEDIA_ROOT (docs/shops.md).
    path(
        f"{settings.MEDIA_URL.strip('/')}/<path:path>",
        core_views.public_media,
        name="public_media",
    ),
    # Server-to-server payment callbacks: no language prefix, no CSRF (docs/payments.md).
    path("payments/", include("souk.payments.callback_urls")),
    # Carriers' tracking events, signed (docs/shipping.md).
    path("shipping/", include("souk.shipping.webhook_urls")),
]
if settings.SOUK_SANDBOX:
    urlpatterns.append(path("sandbox/", include("souk.sandbox.urls")))

urlpatterns += i18n_patterns(
    path("", include("souk.web.urls")),
    path("account/", include("souk.accounts.urls")),
    path("register/", include("souk.registry.urls")),
    path("shops/", include("souk.shops.urls")),
    path("products/", include("souk.catalog.urls")),
    path("search/", include("souk.search.urls")),
    path("", include("souk.orders.urls")),
    path("notifications/", include("souk.notifications.urls")),
    path("payments/", include("souk.payments.urls")),
    path("shipping/", include("souk.shipping.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
