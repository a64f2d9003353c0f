from django.urls import path

from souk.favourites import views

app_name = "favourites"

urlpatterns = [
    path("", views.favourite_list, name="list"),
    path("notices/", views.notices, name="notices"),
    path("<str:kind>/<int:target_id>/save/", views.save, name="save"),
    path("<str:kind>/<int:target_id>/remove/", views.remove, name="remove"),
]
