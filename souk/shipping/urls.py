from django.urls import path

from souk.shipping import views

app_name = "shipping"

urlpatterns = [
    path("shop/<int:shop_id>/free-shipping/", views.free_shipping, name="free_shipping"),
]
