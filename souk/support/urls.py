from django.urls import path

from souk.support import views

app_name = "support"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/<int:artisan_id>/", views.portfolio_artisan, name="portfolio_artisan"),
    path("funnel/", views.funnel, name="funnel"),
]
