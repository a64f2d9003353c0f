from django.urls import path

from souk.support import help_views, views

app_name = "support"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/<int:artisan_id>/", views.portfolio_artisan, name="portfolio_artisan"),
    path("funnel/", views.funnel, name="funnel"),
    path("help/", help_views.mine, name="help_mine"),
    path("help/<int:request_id>/", help_views.my_request, name="help_my_request"),
    path("help/queue/", help_views.queue, name="help_queue"),
    path("help/queue/<int:request_id>/", help_views.queue_request, name="help_request"),
    path("help/times/", help_views.response_times, name="help_times"),
    path("stop/<str:token>/", help_views.stop_nudges, name="nudge_stop"),
]
