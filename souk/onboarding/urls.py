from django.urls import path

from souk.onboarding import views

app_name = "onboarding"

urlpatterns = [
    path("", views.start, name="start"),
    path("code/", views.code, name="code"),
    path("piece/", views.piece, name="piece"),
    path("sent/", views.sent, name="sent"),
]
