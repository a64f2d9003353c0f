"""URL map: /healthz outside the language prefix; every page under /ar/ /fr/ /en/ /es/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from souk.core import views as core_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", core_views.healthz, name="healthz"),
]

urlpatterns += i18n_patterns(
    path("", include("souk.web.urls")),
    path("account/", include("souk.accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
