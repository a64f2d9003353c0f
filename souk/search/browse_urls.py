"""Browse pages outside /search/: /<lang>/crafts/<sector>/[<trade>/], /<lang>/regions/<region>/."""

from django.urls import path

from souk.search import views

app_name = "browse"

urlpatterns = [
    path("crafts/<str:sector_code>/", views.sector, name="sector"),
    path("crafts/<str:sector_code>/<str:trade_code>/", views.trade, name="trade"),
    path("regions/<str:region_code>/", views.region, name="region"),
]
