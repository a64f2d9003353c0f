from django.urls import path

from souk.reviews import views

app_name = "reviews"

urlpatterns = [
    path("line/<int:line_id>/", views.write, name="write"),
    path("<int:review_id>/answer/", views.answer, name="answer"),
    path("<int:review_id>/report/", views.report, name="report"),
    path("shop/", views.shop_reviews, name="shop_reviews"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("moderation/<int:review_id>/", views.moderate, name="moderate"),
]
