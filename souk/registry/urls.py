from django.urls import path

from souk.registry import views

app_name = "registry"

urlpatterns = [
    path("claim/", views.claim, name="claim"),
]
