from django.urls import path

from souk.support import assist_views, help_views, lesson_views, views

app_name = "support"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio/<int:artisan_id>/", views.portfolio_artisan, name="portfolio_artisan"),
    path("funnel/", views.funnel, name="funnel"),
    # Assisted mode and lessons (assist_views.py, lesson_views.py).
    path(
        "portfolio/<int:artisan_id>/assist/<str:action>/",
        assist_views.advisor_assist,
        name="advisor_assist",
    ),
    path(
        "portfolio/<int:artisan_id>/suggest-lesson/",
        lesson_views.suggest_lesson,
        name="suggest_lesson",
    ),
    path("acting/stop/", assist_views.stop_acting, name="stop_acting"),
    path(
        "assistance/<int:assistance_id>/<str:action>/",
        assist_views.artisan_answer,
        name="artisan_answer",
    ),
    path("lessons/", lesson_views.lesson_list, name="lessons"),
    path("lessons/<slug:slug>/", lesson_views.lesson_detail, name="lesson"),
    path("lessons/<slug:slug>/finished/", lesson_views.lesson_finished, name="lesson_finished"),
    path("help/", help_views.mine, name="help_mine"),
    path("help/<int:request_id>/", help_views.my_request, name="help_my_request"),
    path("help/queue/", help_views.queue, name="help_queue"),
    path("help/queue/<int:request_id>/", help_views.queue_request, name="help_request"),
    path("help/times/", help_views.response_times, name="help_times"),
    path("nudges/", help_views.my_nudges, name="my_nudges"),
    path("stop/<str:token>/", help_views.stop_nudges, name="nudge_stop"),
]
